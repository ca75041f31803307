#include "detente/cli/sweep_mpi.h"

#include <string>

#include "fmt/format.h"

#ifdef DETENTE_HAVE_MPI
#include <mpi.h>
#endif

namespace detente::cli {

#ifndef DETENTE_HAVE_MPI

SweepMpi::~SweepMpi() = default;

bool SweepMpi::Available() { return false; }

Status SweepMpi::Init() {
  return Status::FailedPrecondition(
      "this detente was built without MPI (install libopenmpi-dev and "
      "openmpi-bin, scripts/install-deps.sh, and configure again)");
}

#else

SweepMpi::~SweepMpi() {
  if (initialised_) MPI_Finalize();
}

bool SweepMpi::Available() { return true; }

Status SweepMpi::Init() {
  int already = 0;
  MPI_Initialized(&already);
  if (already) return Status::FailedPrecondition("MPI is already initialised");
  if (MPI_Init(nullptr, nullptr) != MPI_SUCCESS) {
    return Status::Internal("MPI_Init failed");
  }
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  return Status::Ok();
}

#endif

Result<std::vector<std::vector<double>>> SweepMpi::Gather(
    const stability::SweepSpec& spec, const std::vector<int64_t>& points,
    const std::vector<std::vector<double>>& rows, const Status& local) {
  const size_t ncols = stability::SweepColumns(spec).size();
  if (!initialised_) {
    if (!local.ok()) return local;
    std::vector<std::vector<double>> out(static_cast<size_t>(spec.Points()));
    for (size_t k = 0; k < points.size(); ++k)
      out[static_cast<size_t>(points[k])] = rows[k];
    return out;
  }
#ifndef DETENTE_HAVE_MPI
  return Status::Internal("unreachable");
#else
  // The lowest failing rank, or size_ when none failed.
  int failing = local.ok() ? size_ : rank_;
  int first = size_;
  MPI_Allreduce(&failing, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first < size_) {
    std::string message(local.message());
    int len = static_cast<int>(message.size());
    MPI_Bcast(&len, 1, MPI_INT, first, MPI_COMM_WORLD);
    message.resize(static_cast<size_t>(len));
    MPI_Bcast(message.data(), len, MPI_CHAR, first, MPI_COMM_WORLD);
    return Status::InvalidArgument(
        first == 0 ? message : fmt::format("rank {}: {}", first, message));
  }
  std::vector<double> flat;
  flat.reserve(rows.size() * ncols);
  for (const auto& row : rows) {
    if (row.size() != ncols) return Status::Internal("sweep: ragged row");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  int mine = static_cast<int>(flat.size());
  std::vector<int> counts(static_cast<size_t>(size_), 0);
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs(static_cast<size_t>(size_), 0);
  int total = 0;
  for (size_t r = 0; r < counts.size(); ++r) {
    displs[r] = total;
    total += counts[r];
  }
  std::vector<double> all(rank_ == 0 ? static_cast<size_t>(total) : 0);
  MPI_Gatherv(flat.data(), mine, MPI_DOUBLE, all.data(), counts.data(),
              displs.data(), MPI_DOUBLE, 0, MPI_COMM_WORLD);
  std::vector<std::vector<double>> out;
  if (rank_ != 0) return out;
  out.resize(static_cast<size_t>(spec.Points()));
  // Rank r's k-th row is point r + k * size (the CLI's interleaving).
  for (int r = 0; r < size_; ++r) {
    const size_t n =
        static_cast<size_t>(counts[static_cast<size_t>(r)]) / ncols;
    for (size_t k = 0; k < n; ++k) {
      const size_t point =
          static_cast<size_t>(r) + k * static_cast<size_t>(size_);
      if (point >= out.size()) return Status::Internal("sweep: stray row");
      auto begin = all.begin() + displs[static_cast<size_t>(r)] +
                   static_cast<std::ptrdiff_t>(k * ncols);
      out[point].assign(begin, begin + static_cast<std::ptrdiff_t>(ncols));
    }
  }
  for (const auto& row : out) {
    if (row.size() != ncols) return Status::Internal("sweep: missing row");
  }
  return out;
#endif
}

}  // namespace detente::cli
