// The detente executable: parses the command line with CLI11 and dispatches
// to the Run* functions of commands.h.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "detente/cli/commands.h"

namespace {

using detente::cli::CommonOptions;
using detente::cli::OutputFormat;

// Adds --json / --csv to a subcommand, writing into `common`.
void AddFormatFlags(CLI::App* cmd, CommonOptions* common, bool csv) {
  cmd->add_flag_callback(
      "--json", [common] { common->format = OutputFormat::kJson; },
      "Machine-readable JSON on stdout");
  if (csv) {
    cmd->add_flag_callback(
        "--csv", [common] { common->format = OutputFormat::kCsv; },
        "CSV on stdout");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "detente: arms-control treaties as code — specs, counting, history.\n"
      "Exit codes: 0 ok, 1 a check failed, 2 usage error, 3 input error."};
  app.set_version_flag("--version", std::string("detente ") + DETENTE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  CommonOptions common;
  app.add_option("--data-dir", common.data_dir,
                 "Directory holding treaties/ and public/ (default: the "
                 "bundled data, or $DETENTE_DATA_DIR)");

  int rc = 0;
  detente::cli::Streams io{std::cout, std::cerr};

  // treaty ...
  CLI::App* treaty = app.add_subcommand("treaty", "Treaty specs");
  treaty->require_subcommand(1);

  CLI::App* list = treaty->add_subcommand("list", "List the bundled specs");
  AddFormatFlags(list, &common, false);
  list->callback([&] { rc = detente::cli::RunTreatyList(common, io); });

  detente::cli::TreatyShowOptions show_opts;
  CLI::App* show = treaty->add_subcommand(
      "show",
      "Show a spec: limits, counting terms, notifications, "
      "inspections, commission, parameters");
  show->add_option("NAME", show_opts.name, "Spec id (e.g. new-start) or path")
      ->required();
  AddFormatFlags(show, &common, false);
  show->callback(
      [&] { rc = detente::cli::RunTreatyShow(common, show_opts, io); });

  detente::cli::TreatyCheckOptions check_opts;
  CLI::App* check = treaty->add_subcommand(
      "check", "Validate spec files; exit 1 if any is invalid");
  check->add_option("FILE", check_opts.files, "Spec files")->required();
  AddFormatFlags(check, &common, false);
  check->callback(
      [&] { rc = detente::cli::RunTreatyCheck(common, check_opts, io); });

  // count
  detente::cli::CountOptions count_opts;
  CLI::App* count = app.add_subcommand(
      "count", "Count an item set (CSV or JSON) against a treaty's limits");
  count->add_option("--treaty", count_opts.treaty, "Spec id or path")
      ->required();
  count->add_option("--items", count_opts.items_file, "Items file (.csv/.json)")
      ->required();
  count->add_option("--at", count_opts.at,
                    "Date to check the limits at (YYYY-MM-DD; default today)");
  AddFormatFlags(count, &common, true);
  count->callback([&] { rc = detente::cli::RunCount(common, count_opts, io); });

  // history
  detente::cli::HistoryOptions history_opts;
  CLI::App* history = app.add_subcommand(
      "history", "Every published data exchange beside the treaty's limits");
  history->add_option("--treaty", history_opts.treaty, "Spec id or path")
      ->default_val("new-start");
  history->add_option("--data", history_opts.data_file,
                      "Published aggregates CSV (default: "
                      "data/public/<treaty>_aggregates.csv)");
  AddFormatFlags(history, &common, true);
  history->callback(
      [&] { rc = detente::cli::RunHistory(common, history_opts, io); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return detente::cli::kExitUsage;
  }
  return rc;
}
