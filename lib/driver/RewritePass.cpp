//===- RewritePass.cpp - The plan's rewrites over the tree ----------------===//
#include "driver/RewritePass.h"

#include "driver/Listing.h"
#include "driver/Parallel.h"
#include "python/SyntaxTree.h"
#include "rewrite/Rewrite.h"
#include "semantics/Project.h"
#include "source/SourceFile.h"
#include "source/Words.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <mutex>

namespace excise {

namespace {

/// Calls \p Visit for every identifier-like word of \p Text.
void forEachIdentifier(llvm::StringRef Text,
                       llvm::function_ref<void(llvm::StringRef)> Visit) {
  for (size_t I = 0; I < Text.size();) {
    if (!(llvm::isAlpha(Text[I]) || Text[I] == '_')) {
      ++I;
      continue;
    }
    size_t J = I;
    while (J < Text.size() && isWordChar(Text[J]))
      ++J;
    Visit(Text.slice(I, J));
    I = J;
  }
}

} // namespace

llvm::Expected<RewriteResult> runRewrites(const Plan &P, llvm::vfs::FileSystem &FS,
                                          llvm::StringRef Root,
                                          const std::vector<std::string> &PythonFiles,
                                          const std::vector<size_t> &Candidates,
                                          unsigned Jobs) {
  std::vector<std::pair<std::string, RewriteRule>> Rewrites;
  for (const Rule &R : P.Rules)
    if (R.Kind == OperationKind::Rewrite) {
      auto Compiled = RewriteRule::compile(R.Rewrite);
      if (!Compiled)
        return makePlanError(P, R.OperationLoc, PlanErrorKind::InvalidValue,
                             llvm::toString(Compiled.takeError()));
      Rewrites.emplace_back(R.Id, std::move(*Compiled));
    }
  RewriteResult Result;
  Result.Rewritten.resize(PythonFiles.size());
  Result.TakenAway.resize(PythonFiles.size());
  std::vector<std::string> RewriteErrors(PythonFiles.size());
  std::mutex MatchedLock;
  if (!Rewrites.empty()) {
    forEachIndex(Jobs, Candidates.size(), [&](size_t K) {
        size_t I = Candidates[K];
        if (!llvm::any_of(Rewrites, [&](const auto &R) {
              return R.second.appliesTo(PythonFiles[I]);
            }))
          return;
        auto Buffer = FS.getBufferForFile(joinRoot(Root, PythonFiles[I]), -1, false);
        if (!Buffer) {
          RewriteErrors[I] = PythonFiles[I] + ": cannot read: " +
                             Buffer.getError().message();
          return;
        }
        std::unique_ptr<EditLayers> Layers;
        std::string Text = (*Buffer)->getBuffer().str();
        for (const auto &Entry : Rewrites) {
          const std::string &Id = Entry.first;
          const RewriteRule &Rule = Entry.second;
          llvm::StringRef Current = Layers ? Layers->current() : Text;
          if (!Rule.appliesTo(PythonFiles[I]) || !Rule.mightMatch(Current))
            continue;
          SourceFile Source(PythonFiles[I], Current.str());
          auto Tree = SyntaxTree::parse(Source.text());
          if (!Tree) {
            // Why dropped: the cascade's own parse of the file meets the
            // same failure and reports the file.
            llvm::consumeError(Tree.takeError());
            continue;
          }
          if (Tree->hasErrors() || Tree->depth() > ParsedFile::MaxDepth)
            continue; // Reported by the cascade's pass over the file.
          auto Edits = applyRewrite(Rule, Source, *Tree, Id);
          if (!Edits) {
            RewriteErrors[I] = llvm::toString(Edits.takeError());
            return;
          }
          if (Edits->empty())
            continue;
          {
            std::lock_guard<std::mutex> Guard(MatchedLock);
            Result.Matched.insert(Id);
          }
          if (!Layers)
            Layers = std::make_unique<EditLayers>(PythonFiles[I], Text);
          // Names the rewrite took out (used in what it replaced, not in what
          // it wrote): candidates for the orphan rules.
          for (const Edit &E : *Edits) {
            llvm::StringSet<> Kept;
            forEachIdentifier(E.text(), [&](llvm::StringRef N) { Kept.insert(N); });
            forEachIdentifier(Current.substr(E.offset(), E.length()), [&](llvm::StringRef N) {
              if (!Kept.count(N))
                Result.TakenAway[I].try_emplace(N, Cause{Id, {"the rewrite took its last use"}});
            });
          }
          if (llvm::Error Err = Layers->add(*Edits, /*Guarded=*/false)) {
            RewriteErrors[I] = llvm::toString(std::move(Err));
            return;
          }
        }
        Result.Rewritten[I] = std::move(Layers);
      });
    for (const std::string &E : RewriteErrors)
      if (!E.empty())
        return llvm::createStringError(std::make_error_code(std::errc::invalid_argument),
                                       E);
  }
  return std::move(Result);
}

} // namespace excise
