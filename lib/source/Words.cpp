//===- Words.cpp ----------------------------------------------------------===//
#include "source/Words.h"

#include <cstring>

namespace excise {

void forEachWord(llvm::StringRef Text, llvm::StringRef Word,
                 llvm::function_ref<bool(size_t)> Visit) {
  // glibc's memmem is much faster than a byte-wise search over a whole tree.
  const char *Begin = Text.data(), *End = Text.data() + Text.size();
  for (const char *P = Begin; P < End;) {
    const void *Hit = memmem(P, End - P, Word.data(), Word.size());
    if (!Hit)
      return;
    const char *H = static_cast<const char *>(Hit);
    if ((H == Begin || !isWordChar(H[-1])) &&
        (H + Word.size() >= End || !isWordChar(H[Word.size()])) && !Visit(H - Begin))
      return;
    P = H + 1;
  }
}

} // namespace excise
