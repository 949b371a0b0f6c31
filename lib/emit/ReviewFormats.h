//===- ReviewFormats.h - Machine-readable reports of a run ------*- C++ -*-===//
//
// The formats that review bots and editors read (SPEC §5): excise's own JSON,
// SARIF 2.1.0 with fixes, reviewdog's rdjson with suggestions, and the
// clang-apply-replacements YAML. Each writer takes the whole run, changes and
// diagnostics, and writes one document; none of them reads or writes files.
//
// Positions: edits are located in the file's old text. JSON and rdjson count
// columns in bytes (as clang and reviewdog do); SARIF counts them in UTF-16
// code units, its default. An edit that ends at the end of a file whose last
// line ends with a line break ends at column 1 of the line after it, like an
// edit that deletes whole lines anywhere else.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_EMIT_REVIEWFORMATS_H
#define EXCISE_EMIT_REVIEWFORMATS_H

#include "emit/RunResult.h"
#include "plan/Plan.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace excise {

/// Writes \p R as excise's JSON document (schema in docs/json-schema.md):
/// every changed file with its edits, the diagnostics, and a summary.
void writeJson(llvm::raw_ostream &OS, const Plan &P, const RunResult &R);

/// Writes \p R as one SARIF 2.1.0 run: one rule per plan rule, one result
/// with a fix per edit, one result per created, deleted or moved file, and
/// one result per diagnostic. Paths are relative to the `%SRCROOT%` base.
void writeSarif(llvm::raw_ostream &OS, const Plan &P, const RunResult &R);

/// Writes \p R in reviewdog's Diagnostic JSON format (rdjson): one INFO
/// diagnostic with a suggestion per edit, one file-level INFO diagnostic per
/// created, deleted or moved file, and one per excise diagnostic.
void writeRdjson(llvm::raw_ostream &OS, const Plan &P, const RunResult &R);

/// Writes the edits of \p R as a clang-apply-replacements YAML document (the
/// clang-tidy `--export-fixes` format), one diagnostic per edit. File paths
/// are \p Root joined with the relative path and made absolute against the
/// current directory, because clang-apply-replacements opens them as given.
/// Only edits of files that stay where they are can be expressed: created,
/// deleted and moved files are left out.
///
/// Beware: clang-apply-replacements (14 at least) always runs clang-format's
/// C++ cleanup around the replacements, with no option to turn it off. To
/// it a Python block is one long C++ line, so a comma before `)` anywhere in
/// a block with an edit is dropped: `(x,)` becomes `(x)`, a different value.
/// Apply these fixes with something that does not reformat, or check the
/// result against `excise diff`.
void writeFixesYaml(llvm::raw_ostream &OS, const Plan &P, const RunResult &R,
                    llvm::StringRef Root = ".");

} // namespace excise

#endif
