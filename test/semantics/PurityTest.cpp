//===- PurityTest.cpp - Emptied ifs whose test calls only pure functions --===//
//
// An access-control service: `svc.auth` holds small predicates (some pure,
// some not), `svc.audit` the audit trail the plan removes. A handler's `if`
// whose block only audited is emptied; whether it goes depends on whether
// its test can do anything.
//
//===----------------------------------------------------------------------===//
#include "TestSupport.h"
#include "semantics/Purity.h"

#include <catch2/catch.hpp>

#include "llvm/Support/MemoryBuffer.h"

using namespace excise;
using namespace excise::test;

namespace {

const char *const DropAuditTrail = R"yaml(plan: drop-audit-trail
rules:
  - id: drop-audit-trail
    remove-symbol: svc.audit.audit
)yaml";

const char *const AuditSource = R"py("""The audit trail, written to its own table."""


def audit(event, **fields):
    print(event, fields)
)py";

const char *const AuthSource = R"py("""Who is calling, and what they may do."""
from svc.roles import STAFF_ROLES


def is_user(subject):
    """True for an end user, not a service account."""
    return subject is not None and subject.kind == "user"


def is_staff(subject):
    # a user first, then one of the staff roles
    return is_user(subject) and subject.role in STAFF_ROLES


def has_scope(subject, scope):
    return isinstance(subject.scopes, (set, frozenset)) and scope in subject.scopes


def load_profile(subject):
    return subject.directory.fetch(subject.id)


def in_org(subject, org):
    return org is None or subject.org == org or in_org(subject, org.parent)
)py";

Tree accessTree(const std::string &Path, const std::string &Text) {
  return {{"svc/__init__.py", ""},
          {"svc/audit.py", AuditSource},
          {"svc/auth.py", AuthSource},
          {"svc/roles.py", "STAFF_ROLES = frozenset({\"support\", \"admin\"})\n"},
          {Path, Text}};
}

} // namespace

TEST_CASE("an emptied if whose test calls a pure project function goes, and "
          "the function's import follows it",
          "[purity]") {
  std::string Input = py(R"py(
from svc.audit import audit
from svc.auth import is_user


async def get_invoice(request, auth_subject, invoices):
    if is_user(auth_subject):
        audit("invoice.read", subject=auth_subject.id)
    return await invoices.get(request.match_info["id"])
)py");
  std::string Expected = py(R"py(
async def get_invoice(request, auth_subject, invoices):
    return await invoices.get(request.match_info["id"])
)py");
  TreeRun Run = runOnTree(accessTree("svc/handlers.py", Input), DropAuditTrail);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/handlers.py"] == Expected);
}

TEST_CASE("an emptied if whose test may have an effect keeps its test, with "
          "pass, and its import, where one whose test is pure goes",
          "[purity]") {
  std::string Input = py(R"py(
from svc.audit import audit
from svc.auth import is_user, load_profile


def show_profile(request, subject):
    if load_profile(subject):  # warms the directory cache
        audit("profile.read", subject=subject.id)
    if request.session.refresh() and is_user(subject):
        audit("session.refreshed")
    if is_user(subject):
        audit("profile.viewed")
    else:
        request.log("profile viewed by a service account")
    if is_user(subject) and subject.verified:
        audit("profile.verified", subject=subject.id)
    return request.render("profile.html")
)py");
  std::string Expected = py(R"py(
from svc.auth import is_user, load_profile


def show_profile(request, subject):
    if load_profile(subject):  # warms the directory cache
        pass
    if request.session.refresh() and is_user(subject):
        pass
    if is_user(subject):
        pass
    else:
        request.log("profile viewed by a service account")
    return request.render("profile.html")
)py");
  TreeRun Run = runOnTree(accessTree("svc/profiles.py", Input), DropAuditTrail);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/profiles.py"] == Expected);
}

TEST_CASE("a pure function that calls another pure function is pure; one "
          "that calls itself is not",
          "[purity]") {
  std::string Input = py(R"py(
from svc import auth
from svc.audit import audit


class AdminView:
    def delete(self, request, subject):
        if auth.is_staff(subject):
            audit("admin.delete", subject=subject.id)
        elif auth.has_scope(subject, "admin:write") and len(request.body) > 0:
            audit("admin.delete.scoped", subject=subject.id)
        if auth.in_org(subject, request.org):
            audit("admin.delete.org")
        return self.perform(request)
)py");
  std::string Expected = py(R"py(
from svc import auth


class AdminView:
    def delete(self, request, subject):
        if auth.in_org(subject, request.org):
            pass
        return self.perform(request)
)py");
  TreeRun Run = runOnTree(accessTree("svc/admin.py", Input), DropAuditTrail);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/admin.py"] == Expected);
}

TEST_CASE("an emptied if whose test calls known-pure builtins and a function "
          "of the same module goes",
          "[purity]") {
  std::string Input = py(R"py(
from svc.audit import audit


def _is_bulk(batch):
    """Large enough to be audited on its own."""
    return len(batch) >= 100


def import_rows(batch, store):
    if _is_bulk(batch) or int(store.priority) > 5:
        audit("rows.bulk", size=len(batch))
    store.insert_many(batch)
)py");
  std::string Expected = py(R"py(
def import_rows(batch, store):
    store.insert_many(batch)
)py");
  TreeRun Run = runOnTree(accessTree("svc/imports.py", Input), DropAuditTrail);
  REQUIRE(Run.ErrorMessage.empty());
  CHECK(Run.diagnostics().empty());
  CHECK(Run.After["svc/imports.py"] == Expected);
}

TEST_CASE("every function of the closed list of pure functions is listed in "
          "docs/semantics.md",
          "[purity]") {
  auto Doc = llvm::MemoryBuffer::getFile(EXCISE_SOURCE_DIR "/docs/semantics.md");
  REQUIRE(Doc);
  llvm::StringRef Text = (*Doc)->getBuffer();
  for (const KnownPureFunction &F : knownPureFunctions()) {
    std::string Spelling;
    switch (F.Kind) {
    case KnownPureFunction::Qualified: {
      llvm::StringRef Name = F.Name;
      Name.consume_front("builtins.");
      Spelling = "`" + Name.str() + "()`";
      break;
    }
    case KnownPureFunction::AnyReceiver:
      Spelling = "`." + F.Name.str() + "()`";
      break;
    case KnownPureFunction::OnString:
      Spelling = "`\"...\"." + F.Name.str() + "(...)`";
      break;
    }
    INFO(Spelling);
    CHECK(Text.contains(Spelling));
  }
}
