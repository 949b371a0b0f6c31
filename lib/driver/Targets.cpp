//===- Targets.cpp - The plan's removal targets in the tree ---------------===//
#include "driver/Targets.h"

namespace excise {

llvm::StringRef anchorOf(llvm::StringRef Name) {
  llvm::StringRef Last = Name.rsplit('.').second;
  return Last.empty() ? Name : Last;
}

llvm::Expected<Targets> resolveTargets(const Plan &P, const ModuleIndex &Modules,
                                       const Project &Proj,
                                       std::vector<SkippedTarget> &Skipped) {
  Targets T;
  for (const Rule &R : P.Rules) {
    switch (R.Kind) {
    case OperationKind::RemoveModule:
      for (const PlanString &M : R.Modules) {
        if (!Modules.hasModule(M.Value) && !Modules.isPackage(M.Value)) {
          std::string Missing = "module '" + M.Value + "' is not in the tree (no " +
                                M.Value + " under import root '" +
                                P.ImportRoot.Value + "')";
          if (!R.Optional)
            return makePlanError(P, M.Loc, PlanErrorKind::UnresolvedTarget,
                                 Missing);
          Skipped.push_back({M.Loc, skippedMessage(Missing), R.Id});
          continue;
        }
        T.Removed.add(M.Value, Cause{R.Id, {"module " + M.Value}}, /*IsModule=*/true);
        T.Anchors.push_back(anchorOf(M.Value).str());
        for (const std::string &Sub : Modules.modulesUnder(M.Value))
          T.DeletedModules[Modules.fileOf(Sub)] = R.Id;
      }
      break;
    case OperationKind::RemoveSymbol:
      for (const PlanString &S : R.Symbols) {
        std::string Module = Modules.longestModulePrefix(S.Value);
        llvm::StringRef Rest = llvm::StringRef(S.Value).drop_front(Module.size());
        Rest.consume_front(".");
        const ModuleSummary *Summary = Module.empty() ? nullptr : Proj.summary(Module);
        const llvm::StringSet<> *Defined =
            Summary && Summary->Parsed ? Proj.definitions(Module) : nullptr;
        bool Found = Summary && !Rest.empty() &&
                     (!Summary->Parsed || (Defined && Defined->count(Rest)));
        if (!Found) {
          std::string Why =
              !Summary || Rest.empty()
                  ? "no module of the tree contains it"
                  : "module '" + Module + "' (" + Modules.fileOf(Module) +
                        ") does not define '" + Rest.str() + "'";
          std::string Missing = "symbol '" + S.Value + "' not found: " + Why;
          if (!R.Optional)
            return makePlanError(P, S.Loc, PlanErrorKind::UnresolvedTarget,
                                 Missing);
          Skipped.push_back({S.Loc, skippedMessage(Missing), R.Id});
          continue;
        }
        T.Removed.add(S.Value, Cause{R.Id, {S.Value}});
        T.Anchors.push_back(anchorOf(S.Value).str());
      }
      break;
    case OperationKind::RemoveCalls: {
      CallRule C;
      C.RuleId = R.Id;
      C.Matcher = R.Calls;
      for (const ArgumentPredicate &A : R.Calls.Args)
        C.Patterns.push_back(A.IsRegex ? std::make_shared<llvm::Regex>(A.Value)
                                       : nullptr);
      T.Anchors.push_back(anchorOf(R.Calls.Callee.Value.empty()
                                       ? R.Calls.Function.Value
                                       : R.Calls.Callee.Value)
                              .str());
      T.Calls.push_back(std::move(C));
      break;
    }
    default:
      break;
    }
  }
  return T;
}

} // namespace excise
