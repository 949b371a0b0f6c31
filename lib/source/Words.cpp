//===- Words.cpp ----------------------------------------------------------===//
#include "source/Words.h"

#include "llvm/Support/MathExtras.h"

#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EXCISE_WORDS_SIMD 1
#endif

namespace excise {

namespace {

/// How often \p C occurs in Python source, roughly (0 rare .. 9 common):
/// the search compares the two rarest bytes of a word first, so that few
/// places reach the full comparison.
unsigned frequency(unsigned char C) {
  if (C == ' ' || C == '\n')
    return 9;
  if (llvm::StringRef("etaoinsr").contains(C))
    return 8;
  if (llvm::StringRef("lcdupfmgh_.(),=\"'").contains(C))
    return 6;
  if ((C >= 'a' && C <= 'z') || llvm::isDigit(C) || C == ':')
    return 4;
  if (C >= 'A' && C <= 'Z')
    return 2;
  return 1;
}

/// Where, in \p Word, the search compares first: two distinct offsets
/// where possible, the rarest bytes.
struct Probe {
  size_t First = 0, Second = 0;
};

Probe probeOf(llvm::StringRef Word) {
  Probe P;
  for (size_t I = 1; I < Word.size(); ++I)
    if (frequency(Word[I]) < frequency(Word[P.First]))
      P.First = I;
  P.Second = P.First == 0 ? Word.size() - 1 : 0;
  for (size_t I = 0; I < Word.size(); ++I)
    if (I != P.First && frequency(Word[I]) < frequency(Word[P.Second]))
      P.Second = I;
  return P;
}

bool matchesAt(const char *At, llvm::StringRef Word) {
  return std::memcmp(At, Word.data(), Word.size()) == 0;
}

/// The first occurrence of \p Word at or after \p From that starts no later
/// than \p Last, or null; byte by byte.
const char *findScalar(const char *From, const char *Last, llvm::StringRef Word,
                       Probe P) {
  for (const char *At = From; At <= Last; ++At)
    if (At[P.First] == Word[P.First] && At[P.Second] == Word[P.Second] &&
        matchesAt(At, Word))
      return At;
  return nullptr;
}

#ifdef EXCISE_WORDS_SIMD
// The probe bytes are compared at 16 or 32 starting places at once, and
// only the places where both match are compared in full (the "generic
// SIMD" substring search). Every load stays inside the text: a block is
// taken only while all its starting places leave room for the whole word.

const char *findSse2(const char *From, const char *Last, llvm::StringRef Word,
                     Probe P) {
  const __m128i A = _mm_set1_epi8(Word[P.First]);
  const __m128i B = _mm_set1_epi8(Word[P.Second]);
  const char *At = From;
  for (; Last - At >= 15; At += 16) {
    __m128i X = _mm_loadu_si128(reinterpret_cast<const __m128i *>(At + P.First));
    __m128i Y = _mm_loadu_si128(reinterpret_cast<const __m128i *>(At + P.Second));
    unsigned Mask = unsigned(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(X, A), _mm_cmpeq_epi8(Y, B))));
    for (; Mask; Mask &= Mask - 1)
      if (const char *Candidate = At + llvm::countTrailingZeros(Mask);
          matchesAt(Candidate, Word))
        return Candidate;
  }
  return findScalar(At, Last, Word, P);
}

__attribute__((target("avx2"))) const char *
findAvx2(const char *From, const char *Last, llvm::StringRef Word, Probe P) {
  const __m256i A = _mm256_set1_epi8(Word[P.First]);
  const __m256i B = _mm256_set1_epi8(Word[P.Second]);
  const char *At = From;
  for (; Last - At >= 31; At += 32) {
    __m256i X = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(At + P.First));
    __m256i Y = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(At + P.Second));
    unsigned Mask = unsigned(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(X, A), _mm256_cmpeq_epi8(Y, B))));
    for (; Mask; Mask &= Mask - 1)
      if (const char *Candidate = At + llvm::countTrailingZeros(Mask);
          matchesAt(Candidate, Word))
        return Candidate;
  }
  return findSse2(At, Last, Word, P);
}

using FindFunction = const char *(*)(const char *, const char *, llvm::StringRef, Probe);

FindFunction chooseFind() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? findAvx2 : findSse2;
}
#endif

/// The first occurrence of \p Word starting in [From, Last], or null.
const char *find(const char *From, const char *Last, llvm::StringRef Word, Probe P) {
#ifdef EXCISE_WORDS_SIMD
  static const FindFunction Best = chooseFind();
  return Best(From, Last, Word, P);
#else
  return findScalar(From, Last, Word, P);
#endif
}

} // namespace

void forEachWord(llvm::StringRef Text, llvm::StringRef Word,
                 llvm::function_ref<bool(size_t)> Visit) {
  if (Word.empty() || Text.size() < Word.size())
    return;
  const Probe P = probeOf(Word);
  const char *Begin = Text.data(), *End = Text.data() + Text.size();
  const char *Last = End - Word.size();
  for (const char *From = Begin; From <= Last;) {
    const char *H = find(From, Last, Word, P);
    if (!H)
      return;
    if ((H == Begin || !isWordChar(H[-1])) &&
        (H + Word.size() >= End || !isWordChar(H[Word.size()])) && !Visit(H - Begin))
      return;
    From = H + 1;
  }
}

bool mentionsWord(llvm::StringRef Text, llvm::StringRef Word) {
  bool Seen = false;
  forEachWord(Text, Word, [&](size_t) { return !(Seen = true); });
  return Seen;
}

llvm::StringRef closestSpelling(llvm::StringRef Word,
                                llvm::ArrayRef<llvm::StringRef> Candidates) {
  unsigned Limit = Word.size() <= 3 ? 1 : std::max<unsigned>(2, Word.size() / 5);
  llvm::StringRef Best;
  unsigned BestDistance = Limit + 1;
  for (llvm::StringRef Candidate : Candidates) {
    if (Candidate == Word)
      continue;
    unsigned Distance = Word.edit_distance(Candidate, /*AllowReplacements=*/true,
                                           /*MaxEditDistance=*/Limit);
    if (Distance < BestDistance) {
      Best = Candidate;
      BestDistance = Distance;
    }
  }
  return Best;
}

} // namespace excise
