//===- QueryLog.h - The questions asked of the removed set ------*- C++ -*-===//
//
// A file's cascade depends on the removed set only through the questions it
// asks of it (is this name removed, following base classes or not; is it or a
// dotted prefix of it in the set). The analysis records them in a QueryLog;
// the driver keeps them, as typed Query entries, and analyses the file again
// in a later round only when a name that round added could change an answer
// (queriesAffectedBy).
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SEMANTICS_QUERYLOG_H
#define EXCISE_SEMANTICS_QUERYLOG_H

#include "semantics/Project.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <string>
#include <vector>

namespace excise {

/// One question an analysis asked of the removed set.
struct Query {
  enum Kind : unsigned char {
    FollowingBases, ///< Is Name removed, also through its class's bases?
    WithoutBases,   ///< Is Name removed, by name alone?
    OrPrefix,       ///< Is Name, or a dotted prefix of it, in the set?
  };
  static constexpr unsigned NumKinds = 3;

  Kind K = FollowingBases;
  /// The qualified name; with RelativeToModule, the part after the file's
  /// own module and a dot.
  llvm::StringRef Name;
  bool RelativeToModule = false;
};

/// A file's questions as the driver keeps them from round to round, for as
/// long as the run lasts: compact (the names in one buffer, 8 bytes more a
/// question; names under the file's module without it, since most questions
/// are about the file's own bindings). The Query values it hands out point
/// into it.
class QueryList {
public:
  void push_back(Query::Kind K, bool RelativeToModule, llvm::StringRef Name);
  size_t size() const { return Entries.size(); }
  bool empty() const { return Entries.empty(); }
  Query operator[](size_t I) const;
  /// Calls \p Visit for each question in order until it returns true; true
  /// when it did.
  bool any(llvm::function_ref<bool(const Query &)> Visit) const;
  void shrinkToFit();
  /// Gives the memory back.
  void release();

private:
  struct Entry {
    uint32_t End; ///< Where the name ends in Names.
    Query::Kind K;
    bool RelativeToModule;
  };
  std::vector<Entry> Entries;
  std::string Names;
};

/// The questions one file's analysis asked, each once.
class QueryLog {
public:
  /// Records that \p Name was asked about as \p K; true when it was not
  /// before.
  bool record(Query::Kind K, llvm::StringRef Name) {
    return Names[K].insert(Name).second;
  }

  bool contains(Query::Kind K, llvm::StringRef Name) const {
    return Names[K].count(Name) != 0;
  }

  /// Calls \p Visit for each question until it returns true; true when it
  /// did. The order is unspecified.
  bool any(llvm::function_ref<bool(Query::Kind, llvm::StringRef)> Visit) const;

  /// The questions sorted by kind, then name; names under \p Module are made
  /// relative to it.
  QueryList entries(llvm::StringRef Module) const;

private:
  llvm::StringSet<> Names[Query::NumKinds];
};

/// The names a cascade round added to the removed set, indexed by their last
/// segment for queriesAffectedBy.
struct RoundNames {
  RoundNames() = default;
  RoundNames(std::vector<std::string> Added, const Project &Proj);

  std::vector<std::string> Names;
  llvm::StringMap<std::vector<size_t>> ByLast; ///< Last segment -> Names index.
  /// One of them is a class, which changes how the attributes of its
  /// subclasses resolve.
  bool HasClass = false;
};

/// True when adding \p New's names, except those \p Ignored accepts, to the
/// removed set could change the answer to one of \p Queries
/// (FileOutcome::Queries of a file of module \p Module). Conservative: true
/// whenever it cannot tell.
bool queriesAffectedBy(const QueryList &Queries, llvm::StringRef Module,
                       const RoundNames &New,
                       llvm::function_ref<bool(llvm::StringRef)> Ignored,
                       const Project &Proj);

} // namespace excise

#endif
