// SweepMpi: the MPI side of `detente sweep --mpi`, kept out of the
// stability engine (which depends on base only) and out of every other
// file, so that MPI stays an optional dependency: without it (configure
// found no MPI, or -DDETENTE_MPI=OFF) Init() says so and the rest is a
// one-process identity.
//
// Protocol: every rank loads the same sweep, rank r evaluates points r,
// r + size, ...; Gather brings the rows to rank 0 in point order, as
// doubles (bit for bit), so rank 0 writes the bytes a single process
// would. An error on any rank is reported by rank 0.
//
// One SweepMpi per process (MPI can be initialised once); not thread-safe.
// The destructor finalises MPI if Init() initialised it.
#ifndef DETENTE_CLI_SWEEP_MPI_H_
#define DETENTE_CLI_SWEEP_MPI_H_

#include <cstdint>
#include <vector>

#include "detente/base/result.h"
#include "detente/base/status.h"
#include "detente/stability/sweep.h"

namespace detente::cli {

class SweepMpi {
 public:
  SweepMpi() = default;
  SweepMpi(const SweepMpi&) = delete;
  SweepMpi& operator=(const SweepMpi&) = delete;
  ~SweepMpi();

  // Initialises MPI. FailedPrecondition when built without MPI.
  Status Init();

  int rank() const { return rank_; }  // 0 without MPI
  int size() const { return size_; }  // 1 without MPI

  // On rank 0, every point's row in point order; on other ranks an empty
  // vector. `points` and `rows` are this rank's (rows[k] is points[k]'s);
  // `local` its own status. The first failing rank's error is returned on
  // every rank.
  Result<std::vector<std::vector<double>>> Gather(
      const stability::SweepSpec& spec, const std::vector<int64_t>& points,
      const std::vector<std::vector<double>>& rows, const Status& local);

  // Whether this binary was built with MPI.
  static bool Available();

 private:
  bool initialised_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace detente::cli

#endif  // DETENTE_CLI_SWEEP_MPI_H_
