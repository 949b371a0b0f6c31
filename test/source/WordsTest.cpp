//===- WordsTest.cpp - Whole-word search ----------------------------------===//
#include "source/Words.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace excise;

namespace {

std::vector<size_t> wordsIn(llvm::StringRef Text, llvm::StringRef Word) {
  std::vector<size_t> Found;
  forEachWord(Text, Word, [&](size_t Pos) {
    Found.push_back(Pos);
    return true;
  });
  return Found;
}

/// The definition, one place at a time.
std::vector<size_t> wordsInSlowly(llvm::StringRef Text, llvm::StringRef Word) {
  std::vector<size_t> Found;
  for (size_t I = 0; I + Word.size() <= Text.size(); ++I)
    if (Text.substr(I, Word.size()) == Word && (I == 0 || !isWordChar(Text[I - 1])) &&
        (I + Word.size() == Text.size() || !isWordChar(Text[I + Word.size()])))
      Found.push_back(I);
  return Found;
}

} // namespace

TEST_CASE("a word is found where it stands alone, not inside a longer name", "[words]") {
  llvm::StringRef Text = "audit = self.audit\naudit_log(audit)  # auditor\n_audit audit";
  CHECK(wordsIn(Text, "audit") == std::vector<size_t>{0, 13, 29, 54});
}

TEST_CASE("a word at the very start or end of the text is found", "[words]") {
  CHECK(wordsIn("AuditTrail", "AuditTrail") == std::vector<size_t>{0});
  CHECK(wordsIn("x = AuditTrail", "AuditTrail") == std::vector<size_t>{4});
  CHECK(wordsIn("AuditTrail()", "AuditTrail") == std::vector<size_t>{0});
  CHECK(wordsIn("Audit", "AuditTrail").empty());
  CHECK(wordsIn("", "a").empty());
}

TEST_CASE("the search stops when the visitor says so", "[words]") {
  std::vector<size_t> Found;
  forEachWord("a a a a", "a", [&](size_t Pos) {
    Found.push_back(Pos);
    return Found.size() < 2;
  });
  CHECK(Found == std::vector<size_t>{0, 2});
}

TEST_CASE("the search finds what a place-by-place search finds, in texts of every "
          "length and words of every length, near the end of the text too",
          "[words]") {
  // Texts from a small alphabet, so that partial matches are frequent, with
  // bytes outside ASCII; lengths around the 16- and 32-byte blocks.
  const std::string Alphabet = "ab_ (A\xc3\xa9.\n";
  std::mt19937 Random(20261206);
  auto pick = [&](size_t N) { return std::uniform_int_distribution<size_t>(0, N - 1)(Random); };
  for (int Round = 0; Round < 20000; ++Round) {
    std::string Text(pick(100), ' ');
    for (char &C : Text)
      C = Alphabet[pick(Alphabet.size())];
    std::string Word(1 + pick(6), ' ');
    for (char &C : Word)
      C = "abA_"[pick(4)];
    INFO("text '" << Text << "', word '" << Word << "'");
    REQUIRE(wordsIn(Text, Word) == wordsInSlowly(Text, Word));
  }
}
