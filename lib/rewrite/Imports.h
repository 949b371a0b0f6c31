//===- Imports.h - Adding the imports a rewrite's fix needs -----*- C++ -*-===//
//
// A rewrite may introduce names the file does not import yet
// (`EventLogger.file_error(...)`). Its `imports:` lists the statements that
// bind them; each name is added to a file the rewrite changed unless the
// module level of that file already binds it (an import, a definition or an
// assignment, also inside top-level `if`/`try`/`with` blocks, but not under
// `if TYPE_CHECKING:`, which binds nothing at run time):
//
//  - into an existing top-level `from M import ...` of the same module,
//    after its last name (a parenthesized list with a trailing comma gets a
//    line of its own, `    Name,`);
//  - otherwise as a new statement on the line after the last top-level
//    import; with no import, after the module docstring (a blank line
//    between) or before the first statement.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_REWRITE_IMPORTS_H
#define EXCISE_REWRITE_IMPORTS_H

#include "edit/Edit.h"
#include "python/SyntaxTree.h"
#include "source/SourceFile.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace excise {

/// One entry of `imports:`, parsed.
struct ImportRequest {
  struct Name {
    std::string Dotted; ///< The imported name or module (`EventLogger`, `a.b`).
    std::string Alias;  ///< After `as`, or empty.
    /// The name the statement binds: the alias, the name, or for
    /// `import a.b` the first segment.
    std::string bound() const;
    /// `Dotted` or `Dotted as Alias`.
    std::string spelling() const;
  };
  bool IsFrom = false;
  std::string Module; ///< For `from` imports, dots included (`.event_logger`).
  std::vector<Name> Names;
  std::string Statement; ///< As written, trimmed.
};

/// Parses \p Statement, which must be one `import ...` or `from ... import
/// ...` statement without `*`. Errors are RewriteErrors with an offset into
/// \p Statement.
llvm::Expected<ImportRequest> parseImport(llvm::StringRef Statement);

/// The edits that give \p File (parsed as \p Tree) what \p Requests bind and
/// it does not, each carrying \p RuleId. Edits at one place are merged, so
/// the result never conflicts with itself.
std::vector<Edit> importEdits(const SourceFile &File, const SyntaxTree &Tree,
                              llvm::ArrayRef<ImportRequest> Requests,
                              llvm::StringRef RuleId);

} // namespace excise

#endif
