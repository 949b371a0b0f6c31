//===- PlanString.h - A value of the plan and where it was written -*- C++ -*-===//
//
// The plan's values keep their place in the plan file, so that every stage
// that finds something wrong with one can point at it.
//
//===----------------------------------------------------------------------===//
#ifndef EXCISE_SOURCE_PLANSTRING_H
#define EXCISE_SOURCE_PLANSTRING_H

#include <string>

namespace excise {

/// Where something was written in the plan file (1-based).
struct PlanLocation {
  unsigned Line = 0;
  unsigned Column = 0;
};

/// A string value of the plan together with where it was written.
struct PlanString {
  std::string Value;
  PlanLocation Loc;
};

} // namespace excise

#endif
