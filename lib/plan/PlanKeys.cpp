//===- PlanKeys.cpp - The operations' names and the table of keys ---------===//
//
// How each operation is spelt in a plan, and planKeys(): the key tables of
// PlanKeys.h, which the parser checks keys against, listed with the mapping
// that accepts them (test/plan/PlanKeysDocumentedTest.cpp compares them with
// docs/plan-format.md).
//
//===----------------------------------------------------------------------===//
#include "plan/PlanKeys.h"

#include "llvm/ADT/ArrayRef.h"

namespace excise {

using namespace planparse;

namespace {

struct OperationSpelling {
  OperationKind Kind;
  llvm::StringLiteral Name;
};

} // namespace

static const OperationSpelling Operations[] = {
    {OperationKind::RemoveSymbol, "remove-symbol"},
    {OperationKind::RemoveModule, "remove-module"},
    {OperationKind::RemoveCalls, "remove-calls"},
    {OperationKind::DeleteFiles, "delete-files"},
    {OperationKind::MoveFiles, "move-files"},
    {OperationKind::AddFile, "add-file"},
    {OperationKind::ReplaceText, "replace-text"},
    {OperationKind::Rewrite, "rewrite"},
};

llvm::StringRef operationName(OperationKind Kind) {
  for (const OperationSpelling &Op : Operations)
    if (Op.Kind == Kind)
      return Op.Name;
  return "unknown-operation";
}

namespace {
struct KeyTable {
  llvm::StringLiteral Where; ///< The mapping, as planKeys() names it.
  llvm::ArrayRef<llvm::StringRef> Keys;
};
} // namespace

/// Every table of PlanKeys.h. A rule's keys are RuleKeys and the operations'
/// names.
static const KeyTable KeyTables[] = {
    {"top level", TopLevelKeys},
    {"rule", RuleKeys},
    {"remove-calls", CallKeys},
    {"move-files", MoveKeys},
    {"add-file", AddFileKeys},
    {"replace-text", ReplaceKeys},
    {"rewrite", RewriteKeys},
    {"where", ConstraintKeys},
    {"not", NegatedConstraintKeys},
    {"verify", VerifyKeys},
};

std::vector<PlanKey> planKeys() {
  std::vector<PlanKey> Keys;
  for (const KeyTable &Table : KeyTables) {
    for (llvm::StringRef Key : Table.Keys)
      Keys.push_back({Key, Table.Where});
    if (Table.Where == "rule")
      for (const OperationSpelling &Op : Operations)
        Keys.push_back({Op.Name, Table.Where});
  }
  return Keys;
}

namespace planparse {

std::vector<llvm::StringRef> operationNames() {
  std::vector<llvm::StringRef> Names;
  for (const OperationSpelling &Op : Operations)
    Names.push_back(Op.Name);
  return Names;
}

std::optional<OperationKind> operationKind(llvm::StringRef Name) {
  for (const OperationSpelling &Op : Operations)
    if (Op.Name == Name)
      return Op.Kind;
  return std::nullopt;
}

} // namespace planparse

} // namespace excise
