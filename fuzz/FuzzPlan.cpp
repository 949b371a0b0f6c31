//===- FuzzPlan.cpp - libFuzzer target for the plan loader ----------------===//
//
// Feeds arbitrary bytes to parsePlan. Any input may be refused, with any
// PlanError; none may crash, hang, or leak. The rendered message of a refusal
// is also produced, since rendering (the offending line, the caret) walks the
// plan's bytes too.
//
//===----------------------------------------------------------------------===//
#include "plan/Plan.h"

#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  auto P = excise::parsePlan(Text, "fuzz.yaml");
  if (!P) {
    std::string Message = llvm::toString(P.takeError());
    // Every refusal says something, and says where.
    if (Message.empty())
      __builtin_trap();
    return 0;
  }
  // An accepted plan has rules, each with an id.
  if (P->Rules.empty())
    __builtin_trap();
  for (const excise::Rule &R : P->Rules)
    if (R.Id.empty())
      __builtin_trap();
  return 0;
}
