//===- AuditService.h - The plan the invariant tests share ------*- C++ -*-===//
//
// A small service whose `svc.audit.get_audit_logger` a plan removes: the
// tests of the binding check and of what a removal empties put their own
// modules beside it.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_TEST_INVARIANT_AUDITSERVICE_H
#define EXCISE_TEST_INVARIANT_AUDITSERVICE_H

namespace excise::test {

/// Removes `svc.audit.get_audit_logger`, under the rule `drop-audit`.
inline constexpr const char *DropAudit = R"yaml(plan: drop-audit
rules:
  - id: drop-audit
    remove-symbol: svc.audit.get_audit_logger
)yaml";

} // namespace excise::test

#endif
