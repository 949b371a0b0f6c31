//===- Targets.cpp - The plan's removal targets in the tree ---------------===//
#include "driver/Targets.h"

#include "source/Words.h"

#include "llvm/ADT/StringSet.h"

namespace excise {

llvm::StringRef anchorOf(llvm::StringRef Name) {
  llvm::StringRef Last = Name.rsplit('.').second;
  return Last.empty() ? Name : Last;
}

namespace {

/// Every dotted name the plan removes (symbols and modules): never offered
/// as what a missing target meant.
llvm::StringSet<> targetsOf(const Plan &P) {
  llvm::StringSet<> Names;
  for (const Rule &R : P.Rules) {
    for (const PlanString &S : R.Symbols)
      Names.insert(S.Value);
    for (const PlanString &M : R.Modules)
      Names.insert(M.Value);
  }
  return Names;
}

/// The closest of \p Candidates to \p Word that is not a target, or "".
std::string closestOther(llvm::StringRef Word, const std::vector<std::string> &Candidates,
                         const llvm::StringSet<> &PlanTargets, llvm::StringRef Prefix = "",
                         llvm::StringRef Suffix = "") {
  std::vector<llvm::StringRef> Others;
  for (const std::string &C : Candidates)
    if (!PlanTargets.count((Prefix + C + Suffix).str()))
      Others.push_back(C);
  llvm::StringRef Closest = closestSpelling(Word, Others);
  return Closest.empty() ? std::string() : (Prefix + Closest + Suffix).str();
}

/// Why symbol \p Name is not in the tree, with a did-you-mean.
std::string missingSymbol(llvm::StringRef Name, llvm::StringRef Module,
                          llvm::StringRef Rest, const ModuleSummary *Summary,
                          const ModuleIndex &Modules, const Project &Proj,
                          const llvm::StringSet<> &PlanTargets) {
  std::string Message = "symbol '" + Name.str() + "' not found: ";
  std::string Closest;
  if (Summary && !Rest.empty()) {
    Message += "module '" + Module.str() + "' (" + Modules.fileOf(Module) +
               ") does not define '" + Rest.str() + "'";
    std::vector<std::string> Defined;
    if (const llvm::StringSet<> *Names = Proj.definitions(Module))
      for (const auto &N : *Names)
        Defined.push_back(N.getKey().str());
    llvm::sort(Defined);
    Closest = closestOther(Rest, Defined, PlanTargets, (Module + ".").str());
  } else {
    Message += "no module of the tree contains it";
  }
  // Else a misspelt module: the name in the module closest to its own.
  auto [Parent, Last] = Name.rsplit('.');
  if (Closest.empty() && !Last.empty())
    Closest = closestOther(Parent, Modules.modules(), PlanTargets, "",
                           ("." + Last).str());
  if (!Closest.empty())
    Message += "; did you mean '" + Closest + "'?";
  return Message;
}

} // namespace

llvm::Expected<Targets> resolveTargets(const Plan &P, const ModuleIndex &Modules,
                                       const Project &Proj,
                                       std::vector<PlanNote> &Notes) {
  Targets T;
  llvm::StringSet<> PlanTargets = targetsOf(P);
  auto Note = [&](const Rule &R, const PlanString &Target, const std::string &Why) {
    if (!R.Optional)
      Notes.push_back({Target.Loc, "rule '" + R.Id + "': " + Why, R.Id});
  };
  for (const Rule &R : P.Rules) {
    switch (R.Kind) {
    case OperationKind::RemoveModule:
      for (const PlanString &M : R.Modules) {
        if (!Modules.hasModule(M.Value) && !Modules.isPackage(M.Value)) {
          std::string Why = "module '" + M.Value + "' is not in the tree (no " +
                            M.Value + " under import root '" +
                            P.ImportRoot.Value + "')";
          std::string Closest =
              closestOther(M.Value, Modules.modules(), PlanTargets);
          if (!Closest.empty())
            Why += "; did you mean '" + Closest + "'?";
          Note(R, M, Why);
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
        // A name a package re-exports (`from .base import track`, or
        // `from .base import *`) is the symbol it re-exports: removed where
        // it is defined, and under both names.
        std::string Canonical = Proj.canonical(S.Value);
        if (Canonical != S.Value) {
          std::string Home = Modules.longestModulePrefix(Canonical);
          const llvm::StringSet<> *HomeDefined = Home.empty() ? nullptr : Proj.definitions(Home);
          if (HomeDefined && HomeDefined->count(llvm::StringRef(Canonical).drop_front(Home.size() + 1))) {
            Found = true;
            T.Removed.add(Canonical, Cause{R.Id, {S.Value}});
            if (!llvm::StringRef(Canonical).drop_front(Home.size() + 1).contains('.'))
              T.Removed.addModuleLevelTarget(Canonical);
            else
              T.Removed.addClassMemberTarget(Canonical);
            T.Anchors.push_back(anchorOf(Canonical).str());
          }
        }
        if (!Found)
          Note(R, S,
               missingSymbol(S.Value, Module, Rest, Summary, Modules, Proj, PlanTargets));
        T.Removed.add(S.Value, Cause{R.Id, {S.Value}});
        if (!Module.empty() && !Rest.empty() && !Rest.contains('.'))
          T.Removed.addModuleLevelTarget(S.Value);
        else if (!Module.empty() && Rest.contains('.'))
          T.Removed.addClassMemberTarget(S.Value);
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
