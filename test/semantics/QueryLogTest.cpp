//===- QueryLogTest.cpp - Questions asked, and what changes them ----------===//
//
// The query log is what lets a later cascade round skip a file: these tests
// write a log as an analysis would and ask whether a round's new names could
// change one of its answers.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "semantics/QueryLog.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace excise;
using namespace excise::test;

namespace {

/// `Audit` inherits `Invoice`, whose `total` a round may remove.
struct Shop {
  Tree Files{{"shop/__init__.py", ""},
             {"shop/models.py", "class Invoice:\n    total = 0\n\n\n"
                                "class Audit(Invoice):\n    pass\n"},
             {"shop/views.py", "from shop.models import Audit\n"}};
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> FS =
      inMemoryTree(Files);
  Project Proj{
      ModuleIndex(".", {"shop/__init__.py", "shop/models.py", "shop/views.py"}),
      *FS, "/repo"};

  bool affected(const QueryList &Queries, std::vector<std::string> Added,
                bool IgnoreAll = false) {
    return queriesAffectedBy(
        Queries, "shop.views", RoundNames(std::move(Added), Proj),
        [&](llvm::StringRef) { return IgnoreAll; }, Proj);
  }
};

/// The log of an analysis of shop/views.py that asked one question.
QueryList asked(Query::Kind K, llvm::StringRef Name) {
  QueryLog Log;
  Log.record(K, Name);
  return Log.entries("shop.views");
}

std::string show(const QueryList &Queries) {
  std::string Out;
  for (size_t I = 0; I < Queries.size(); ++I) {
    Query Q = Queries[I];
    Out += std::to_string(Q.K) + (Q.RelativeToModule ? " @" : " ") +
           Q.Name.str() + "\n";
  }
  return Out;
}

} // namespace

TEST_CASE("a query log keeps each question once, by kind then name, names of "
          "the file's module relative to it",
          "[querylog]") {
  QueryLog Log;
  CHECK(Log.record(Query::FollowingBases, "shop.views.helper"));
  CHECK(Log.record(Query::FollowingBases, "os.path"));
  CHECK_FALSE(Log.record(Query::FollowingBases, "os.path"));
  CHECK(Log.record(Query::WithoutBases, "shop.views.helper"));
  CHECK(Log.record(Query::OrPrefix, "shop"));
  CHECK(Log.contains(Query::WithoutBases, "shop.views.helper"));
  CHECK_FALSE(Log.contains(Query::OrPrefix, "os.path"));
  CHECK(show(Log.entries("shop.views")) == "0 os.path\n"
                                           "0 @helper\n"
                                           "1 @helper\n"
                                           "2 shop\n");
}

TEST_CASE("a new name changes a question about it or about a name under it, "
          "and no other",
          "[querylog]") {
  Shop S;
  QueryList Queries =
      asked(Query::WithoutBases, "shop.models.Invoice.total.digits");
  CHECK(S.affected(Queries, {"shop.models.Invoice.total"}));
  CHECK(S.affected(Queries, {"shop.models.Invoice"}));
  CHECK_FALSE(S.affected(Queries, {"shop.models.Invoice.count"}));
  CHECK_FALSE(S.affected(Queries, {"shop.models.Invoice.total"},
                         /*IgnoreAll=*/true));
}

TEST_CASE("a base class's removed attribute changes a question about the "
          "subclass's attribute only when it follows bases",
          "[querylog]") {
  Shop S;
  CHECK(S.affected(asked(Query::FollowingBases, "shop.models.Audit.total"),
                   {"shop.models.Invoice.total"}));
  CHECK_FALSE(S.affected(asked(Query::WithoutBases, "shop.models.Audit.total"),
                         {"shop.models.Invoice.total"}));
}

TEST_CASE("a question relative to the file's module is changed by a new name "
          "of that module",
          "[querylog]") {
  Shop S;
  QueryList Queries = asked(Query::OrPrefix, "shop.views.helper");
  REQUIRE(Queries.size() == 1);
  CHECK(Queries[0].RelativeToModule);
  CHECK(S.affected(Queries, {"shop.views.helper"}));
  CHECK(S.affected(Queries, {"shop.views"}));
  CHECK_FALSE(S.affected(Queries, {"shop.models.helper"}));
}
