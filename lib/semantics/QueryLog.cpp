//===- QueryLog.cpp -------------------------------------------------------===//
//
// The reader side mirrors RemovalOracle::removedName: a question can change
// only when a new name is the name asked, a dotted prefix of it, of its
// canonical form, or of the same attribute of one of its class's ancestors.
//
//===----------------------------------------------------------------------===//
#include "semantics/QueryLog.h"

#include "llvm/ADT/STLExtras.h"

namespace excise {

bool QueryLog::any(
    llvm::function_ref<bool(Query::Kind, llvm::StringRef)> Visit) const {
  for (unsigned K = 0; K < Query::NumKinds; ++K)
    for (const auto &Entry : Names[K])
      if (Visit(Query::Kind(K), Entry.getKey()))
        return true;
  return false;
}

QueryList QueryLog::entries(llvm::StringRef Module) const {
  QueryList Out;
  std::string Own = Module.str() + ".";
  for (unsigned K = 0; K < Query::NumKinds; ++K) {
    std::vector<llvm::StringRef> Sorted;
    for (const auto &Entry : Names[K])
      Sorted.push_back(Entry.getKey());
    llvm::sort(Sorted);
    for (llvm::StringRef Name : Sorted) {
      // An empty name asks nothing a new name could change.
      if (Name.empty())
        continue;
      bool Relative = !Module.empty() && Name.consume_front(Own);
      Out.push_back(Query::Kind(K), Relative, Name);
    }
  }
  Out.shrinkToFit();
  return Out;
}

void QueryList::push_back(Query::Kind K, bool RelativeToModule,
                          llvm::StringRef Name) {
  Names += Name;
  Entries.push_back({uint32_t(Names.size()), K, RelativeToModule});
}

Query QueryList::operator[](size_t I) const {
  uint32_t Start = I == 0 ? 0 : Entries[I - 1].End;
  const Entry &E = Entries[I];
  return {E.K, llvm::StringRef(Names).slice(Start, E.End), E.RelativeToModule};
}

bool QueryList::any(llvm::function_ref<bool(const Query &)> Visit) const {
  for (size_t I = 0; I < Entries.size(); ++I)
    if (Visit((*this)[I]))
      return true;
  return false;
}

void QueryList::shrinkToFit() {
  Entries.shrink_to_fit();
  Names.shrink_to_fit();
}

void QueryList::release() {
  // Assigning empty containers could keep the memory; a swap gives it back.
  std::vector<Entry>().swap(Entries);
  std::string().swap(Names);
}

namespace {
/// True when \p Prefix is \p Name or a dotted prefix of it: then the removed
/// set, once it holds \p Prefix, matches \p Name.
bool coversName(llvm::StringRef Prefix, llvm::StringRef Name) {
  return Name.startswith(Prefix) &&
         (Name.size() == Prefix.size() || Name[Prefix.size()] == '.');
}

} // namespace

RoundNames::RoundNames(std::vector<std::string> Added, const Project &Proj)
    : Names(std::move(Added)) {
  for (size_t I = 0; I < Names.size(); ++I) {
    llvm::StringRef N = Names[I];
    llvm::StringRef Last = N.rsplit('.').second;
    ByLast[Last.empty() ? N : Last].push_back(I);
    HasClass |= Proj.isClass(N);
  }
}

bool queriesAffectedBy(const QueryList &Queries, llvm::StringRef Module,
                       const RoundNames &New,
                       llvm::function_ref<bool(llvm::StringRef)> Ignored,
                       const Project &Proj) {
  // A name none of whose segments is a new name's last one is not that name,
  // nor anything that re-exports or inherits it (RemovalSet::mayMatch).
  auto Candidates = [&](llvm::StringRef Dotted,
                        std::vector<llvm::StringRef> &Out) {
    for (llvm::StringRef Rest = Dotted; !Rest.empty();) {
      auto [Head, Tail] = Rest.split('.');
      auto It = New.ByLast.find(Head);
      if (It != New.ByLast.end())
        for (size_t I : It->second)
          if (!Ignored(New.Names[I]))
            Out.push_back(New.Names[I]);
      Rest = Tail;
    }
  };
  std::vector<llvm::StringRef> InModule;
  Candidates(Module, InModule);
  // Most files never asked about a name with any of these last segments:
  // then no question below has a candidate.
  auto HasNewSegment = [&](const Query &Q) {
    for (llvm::StringRef Rest = Q.Name; !Rest.empty();) {
      auto [Head, Tail] = Rest.split('.');
      if (New.ByLast.count(Head))
        return true;
      Rest = Tail;
    }
    return false;
  };
  if (InModule.empty() && !New.HasClass && !Queries.any(HasNewSegment))
    return false;
  std::vector<llvm::StringRef> Names;
  return Queries.any([&](const Query &Q) {
    Names.clear();
    Candidates(Q.Name, Names);
    if (Q.RelativeToModule)
      Names.insert(Names.end(), InModule.begin(), InModule.end());
    if (Names.empty() && !(New.HasClass && Q.K == Query::FollowingBases))
      return false;
    std::string Name =
        Q.RelativeToModule ? (Module + "." + Q.Name).str() : Q.Name.str();
    if (Q.K == Query::OrPrefix)
      return llvm::any_of(
          Names, [&](llvm::StringRef N) { return coversName(N, Name); });
    // As RemovalOracle::removedNameUncached looks the name up.
    std::string Canon = Proj.canonical(Name);
    for (llvm::StringRef N : Names)
      if (coversName(N, Canon))
        return true;
    if (Q.K != Query::FollowingBases)
      return false;
    for (size_t Dot = Canon.rfind('.'); Dot != std::string::npos && Dot > 0;
         Dot = Canon.rfind('.', Dot - 1)) {
      llvm::StringRef After = llvm::StringRef(Canon).drop_front(Dot);
      // Only a new `Base + After` (whose last segment is After's) or a new
      // class can match here; skipping a class prefix that cannot only makes
      // the search go on, never miss.
      std::vector<llvm::StringRef> Possible;
      if (New.HasClass) {
        for (const std::string &N : New.Names)
          if (!Ignored(N))
            Possible.push_back(N);
      } else if (auto It = New.ByLast.find(After.rsplit('.').second);
                 It != New.ByLast.end()) {
        for (size_t I : It->second)
          if (llvm::StringRef(New.Names[I]).endswith(After) &&
              !Ignored(New.Names[I]))
            Possible.push_back(New.Names[I]);
      }
      if (Possible.empty())
        continue;
      llvm::StringRef Cls = llvm::StringRef(Canon).take_front(Dot);
      if (!Proj.isClass(Cls))
        continue;
      for (const std::string &Base : Proj.ancestors(Cls))
        for (llvm::StringRef N : Possible)
          if (coversName(N, Base) || coversName(N, Base + After.str()))
            return true;
      break;
    }
    return false;
  });
}

} // namespace excise
