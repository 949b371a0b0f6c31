//===- Words.h - Whole-word search in source text ---------------*- C++ -*-===//
//
// A name is mentioned where it occurs as a whole word: not inside a longer
// identifier. Bytes outside ASCII letters, digits and '_' separate words, so
// a search finds every mention of an ASCII name, and possibly more.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_WORDS_H
#define EXCISE_SOURCE_WORDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>

namespace excise {

inline bool isWordChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// Calls \p Visit with the offset of every whole-word occurrence of the
/// non-empty \p Word in \p Text, until it returns false.
void forEachWord(llvm::StringRef Text, llvm::StringRef Word,
                 llvm::function_ref<bool(size_t)> Visit);

/// True when \p Text mentions the non-empty \p Word as a whole word.
bool mentionsWord(llvm::StringRef Text, llvm::StringRef Word);

/// The candidate closest to \p Word (case-sensitive edit distance) when it
/// is close enough to be what was meant: at most one edit for a word of up
/// to three bytes, otherwise a fifth of its length and at least two. Empty
/// when none is; ties go to the first candidate.
llvm::StringRef closestSpelling(llvm::StringRef Word,
                                llvm::ArrayRef<llvm::StringRef> Candidates);

} // namespace excise

#endif
