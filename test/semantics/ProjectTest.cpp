//===- ProjectTest.cpp - What the cascade asks of the rest of the tree ----===//
//
// Re-exports, classes and their bases, answered from module summaries. A
// module whose text does not contain a name is answered from its words
// alone; these tests ask in the orders that mix the two.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"

#include "semantics/Project.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace excise;
using namespace excise::test;

namespace {

const Tree Billing = {
    {"svc/__init__.py", ""},
    {"svc/billing/__init__.py", "\"\"\"Billing.\"\"\"\n"
                                "from .repo import InvoiceRepo as Invoices\n"
                                "from .models import (\n"
                                "    Invoice,\n"
                                "    LineItem,  # re-exported for the API\n"
                                ")\n"},
    {"svc/billing/repo.py", "from svc.common.db import BaseRepo\n\n\n"
                            "class InvoiceRepo(BaseRepo):\n"
                            "    async def save(self, invoice):\n"
                            "        return invoice\n"},
    {"svc/billing/models.py", "class Invoice:\n    pass\n\n\n"
                              "class LineItem(Invoice):\n    pass\n"},
    {"svc/common/__init__.py", ""},
    {"svc/common/db.py", "class BaseRepo:\n    def save(self, row):\n        return row\n"},
};

struct Fixture {
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> FS = inMemoryTree(Billing);
  Project Proj{ModuleIndex(".", files()), *FS, "/repo"};

  static std::vector<std::string> files() {
    std::vector<std::string> Files;
    for (const auto &Entry : Billing)
      Files.push_back(Entry.first);
    return Files;
  }
};

} // namespace

TEST_CASE("a package's re-export is followed after a name the package does not "
          "mention was asked of it",
          "[project]") {
  Fixture F;
  // `Refund` is not a word of svc/billing/__init__.py: answered from its
  // words, without a summary.
  CHECK(F.Proj.canonical("svc.billing.Refund") == "svc.billing.Refund");
  // `Invoices` is: now the summary is built, with the words already kept.
  CHECK(F.Proj.canonical("svc.billing.Invoices") == "svc.billing.repo.InvoiceRepo");
  CHECK(F.Proj.canonical("svc.billing.Invoices.save") ==
        "svc.billing.repo.InvoiceRepo.save");
  CHECK(F.Proj.canonical("svc.billing.LineItem") == "svc.billing.models.LineItem");
}

TEST_CASE("classes and their bases are found whether or not the module was "
          "consulted for another name first",
          "[project]") {
  Fixture F;
  CHECK_FALSE(F.Proj.isClass("svc.billing.models.Refund"));
  CHECK(F.Proj.isClass("svc.billing.models.LineItem"));
  CHECK_FALSE(F.Proj.isClass("svc.common.db.Session"));
  CHECK(F.Proj.ancestors("svc.billing.Invoices") ==
        std::vector<std::string>{"svc.common.db.BaseRepo"});
  CHECK(F.Proj.ancestors("svc.billing.LineItem") ==
        std::vector<std::string>{"svc.billing.models.Invoice"});
}

TEST_CASE("a name that is only part of a longer word of the module is not one "
          "it binds",
          "[project]") {
  Fixture F;
  // `Item` is inside `LineItem` and not re-exported; `Invoice` is, besides
  // being inside `Invoices` and `InvoiceRepo`.
  CHECK(F.Proj.canonical("svc.billing.Item") == "svc.billing.Item");
  CHECK(F.Proj.canonical("svc.billing.Invoice") == "svc.billing.models.Invoice");
}

TEST_CASE("a class's member is a method, a method that extends the inherited "
          "one, another binding, or absent",
          "[project]") {
  const Tree Orders = {
      {"svc/__init__.py", ""},
      {"svc/orders.py", R"py(import functools


class BaseOrder:
    status = "new"

    def save(self):
        return True

    @functools.cached_property
    def total(self):
        return 0


class Order(BaseOrder):
    status: str = "open"

    async def save(self):
        await self.validate()
        return super().save()

    def total(self):
        return sum(line.price for line in self.lines)

    def render(self):
        return super().total

    class Meta:
        ordering = ["-id"]
)py"},
  };
  auto FS = inMemoryTree(Orders);
  Project Proj{ModuleIndex(".", {"svc/__init__.py", "svc/orders.py"}), *FS, "/repo"};
  using Kind = Project::MemberKind;
  CHECK(Proj.memberKind("svc.orders.BaseOrder", "save") == Kind::Method);
  CHECK(Proj.memberKind("svc.orders.BaseOrder", "total") == Kind::Method);
  CHECK(Proj.memberKind("svc.orders.BaseOrder", "status") == Kind::Other);
  CHECK(Proj.memberKind("svc.orders.Order", "save") == Kind::ExtendingMethod);
  // Reading another member through super() extends nothing.
  CHECK(Proj.memberKind("svc.orders.Order", "render") == Kind::Method);
  CHECK(Proj.memberKind("svc.orders.Order", "status") == Kind::Other);
  CHECK(Proj.memberKind("svc.orders.Order", "Meta") == Kind::Other);
  CHECK(Proj.memberKind("svc.orders.Order", "validate") == Kind::Absent);
  // A nested class is not read, and neither is a module outside the project.
  CHECK(Proj.memberKind("svc.orders.Order.Meta", "ordering") == Kind::Absent);
  CHECK(Proj.memberKind("functools.partial", "func") == Kind::Absent);
}
