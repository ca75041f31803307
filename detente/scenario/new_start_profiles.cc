// The default New START force profiles of detente synth. docs/synth.md
// explains each choice; every number that is not from the project's
// sourced facts (../shared/data/new_start_facts.md) says "assumption".
#include "detente/scenario/synth.h"

namespace detente::scenario {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d).value(); }

constexpr const char* kUsAnchor =
    "launchers, deploy share and spares of 1 Sep 2020 from the US per-type "
    "table (facts §2, State Dept fact sheet of 1 Dec 2020); earlier mix, "
    "max_warheads and typical load: assumption";
constexpr const char* kAssumption =
    "assumption (synthetic): type, mix, max_warheads and typical load are "
    "not from the project's sourced facts";

PartyProfile UnitedStates() {
  PartyProfile p;
  p.party = "US";
  p.facilities = {
      {"US-WARREN", "F. E. Warren AFB", "operating_base", "Wyoming"},
      {"US-MALMSTROM", "Malmstrom AFB", "operating_base", "Montana"},
      {"US-MINOT", "Minot AFB", "operating_base", "North Dakota"},
      {"US-KINGS-BAY", "Naval Submarine Base Kings Bay", "operating_base",
       "Georgia"},
      {"US-BANGOR", "Naval Base Kitsap-Bangor", "operating_base", "Washington"},
      {"US-WHITEMAN", "Whiteman AFB", "operating_base", "Missouri"},
      {"US-BARKSDALE", "Barksdale AFB", "operating_base", "Louisiana"},
      {"US-DYESS", "Dyess AFB", "operating_base", "Texas"},
      {"US-ELLSWORTH", "Ellsworth AFB", "operating_base", "South Dakota"},
      {"US-DAVIS-MONTHAN", "Davis-Monthan AFB", "storage", "Arizona"},
      {"US-HILL", "Hill AFB", "storage", "Utah"},
      {"US-SWFLANT", "Strategic Weapons Facility Atlantic", "storage",
       "Georgia"},
      {"US-TINKER", "Tinker AFB", "repair", "Oklahoma"},
      {"US-PALMDALE", "Air Force Plant 42, Palmdale", "repair", "California"},
      {"US-VANDENBERG", "Vandenberg AFB", "test_range", "California"},
      {"US-EDWARDS", "Edwards AFB", "test_range", "California"},
  };

  TypeMix mm3;
  mm3.code = "MM3";
  mm3.category = "icbm";
  mm3.type = "Minuteman III";
  mm3.launcher_type = "Minuteman III launcher";
  mm3.basing = "silo";
  mm3.max_warheads = 3;
  mm3.typical_warheads_milli = 1000;
  // 454 launchers (397 deployed + 57 non-deployed) on 1 Sep 2020; 500 at
  // entry into force is an assumption.
  mm3.launchers = {{D(2011, 2, 5), 500}, {D(2017, 9, 1), 454}};
  mm3.deploy_per_mille = 875;  // 397 / 454
  // Calibrated so that, with the missiles unloaded since, the non-deployed
  // ICBMs of 1 Sep 2020 come out near the sourced 261.
  mm3.spare_missiles_per_mille = 377;
  mm3.test_items = 4;  // 4 test launchers
  mm3.bases = {"US-WARREN", "US-MALMSTROM", "US-MINOT"};
  mm3.storage = "US-HILL";
  mm3.production = "US-HILL";
  mm3.test_facility = "US-VANDENBERG";
  mm3.source = kUsAnchor;

  TypeMix pk;
  pk.code = "PK";
  pk.category = "icbm";
  pk.type = "Peacekeeper";
  pk.launcher_type = "Peacekeeper launcher";
  pk.basing = "silo";
  pk.max_warheads = 10;
  pk.typical_warheads_milli = 10000;
  pk.launchers = {{D(2011, 2, 5), 50}, {D(2014, 3, 1), 0}};
  pk.deploy_per_mille = 0;  // empty silos awaiting elimination
  pk.bases = {"US-WARREN"};
  pk.storage = "US-HILL";
  pk.source = kAssumption;

  TypeMix d5;
  d5.code = "D5";
  d5.category = "slbm";
  d5.type = "Trident II";
  d5.launcher_type = "Trident II launcher";
  d5.submarine_class = "Ohio-class";
  d5.tubes_per_submarine = 24;
  d5.max_warheads = 8;
  d5.typical_warheads_milli = 4400;
  // 280 launchers (230 + 50) on 1 Sep 2020; 14 submarines of 24 tubes, 4
  // per submarine converted by 2018 (conversions: facts §1).
  d5.launchers = {
      {D(2011, 2, 5), 336}, {D(2016, 9, 1), 336}, {D(2018, 2, 5), 280}};
  d5.deploy_per_mille = 821;  // 230 / 280
  // Likewise for the sourced 234 non-deployed SLBMs of 1 Sep 2020.
  d5.spare_missiles_per_mille = 548;
  d5.reduce_by_conversion = true;
  d5.bases = {"US-KINGS-BAY", "US-BANGOR"};
  d5.storage = "US-SWFLANT";
  d5.production = "US-SWFLANT";
  d5.source = kUsAnchor;

  TypeMix b52h;
  b52h.code = "B52H";
  b52h.category = "heavy_bomber";
  b52h.type = "B-52H";
  // 36 deployed on 1 Sep 2020 (facts §2); the split of the 18 non-deployed
  // bombers between B-52H (10) and B-2A (8) is an assumption; 41 B-52H
  // converted to non-nuclear armaments (facts §1).
  b52h.launchers = {{D(2011, 2, 5), 87}, {D(2018, 2, 5), 46}};
  b52h.deploy_per_mille = 783;  // 36 / 46
  b52h.test_items = 3;
  b52h.reduce_by_conversion = true;
  b52h.bases = {"US-BARKSDALE", "US-MINOT"};
  b52h.storage = "US-TINKER";
  b52h.test_facility = "US-EDWARDS";
  b52h.source = kUsAnchor;

  TypeMix b52g;
  b52g.code = "B52G";
  b52g.category = "heavy_bomber";
  b52g.type = "B-52G";
  b52g.launchers = {{D(2011, 2, 5), 32}, {D(2014, 9, 1), 0}};
  b52g.deploy_per_mille = 0;  // stored, awaiting elimination
  b52g.bases = {"US-DAVIS-MONTHAN"};
  b52g.storage = "US-DAVIS-MONTHAN";
  b52g.source = kAssumption;

  TypeMix b1b;
  b1b.code = "B1B";
  b1b.category = "heavy_bomber";
  b1b.type = "B-1B";
  b1b.launchers = {{D(2011, 2, 5), 66}, {D(2017, 3, 1), 0}};
  b1b.deploy_per_mille = 700;
  b1b.reduce_by_conversion = true;
  b1b.bases = {"US-DYESS", "US-ELLSWORTH"};
  b1b.storage = "US-TINKER";
  b1b.source = kAssumption;

  TypeMix b2a;
  b2a.code = "B2A";
  b2a.category = "heavy_bomber";
  b2a.type = "B-2A";
  b2a.launchers = {{D(2011, 2, 5), 20}};
  b2a.deploy_per_mille = 600;  // 12 deployed of 20 on 1 Sep 2020
  b2a.test_items = 2;
  b2a.bases = {"US-WHITEMAN"};
  b2a.storage = "US-PALMDALE";
  b2a.test_facility = "US-EDWARDS";
  b2a.source = kUsAnchor;

  p.types = {mm3, pk, d5, b52h, b52g, b1b, b2a};
  return p;
}

PartyProfile Russia() {
  PartyProfile p;
  p.party = "RU";
  p.facilities = {
      {"RU-KOZELSK", "Kozelsk", "operating_base", "Kaluga region"},
      {"RU-TATISHCHEVO", "Tatishchevo", "operating_base", "Saratov region"},
      {"RU-DOMBAROVSKY", "Dombarovsky", "operating_base", "Orenburg region"},
      {"RU-UZHUR", "Uzhur", "operating_base", "Krasnoyarsk region"},
      {"RU-TEYKOVO", "Teykovo", "operating_base", "Ivanovo region"},
      {"RU-YOSHKAR-OLA", "Yoshkar-Ola", "operating_base", "Mari El"},
      {"RU-NOVOSIBIRSK", "Novosibirsk", "operating_base", "Novosibirsk region"},
      {"RU-IRKUTSK", "Irkutsk", "operating_base", "Irkutsk region"},
      {"RU-BARNAUL", "Barnaul", "operating_base", "Altai region"},
      {"RU-NIZHNY-TAGIL", "Nizhny Tagil", "operating_base",
       "Sverdlovsk region"},
      {"RU-YURYA", "Yurya", "operating_base", "Kirov region"},
      {"RU-VYPOLZOVO", "Vypolzovo", "operating_base", "Tver region"},
      {"RU-GADZHIYEVO", "Gadzhiyevo", "operating_base", "Murmansk region"},
      {"RU-VILYUCHINSK", "Vilyuchinsk", "operating_base", "Kamchatka"},
      {"RU-SEVERODVINSK", "Severodvinsk", "production", "Arkhangelsk region"},
      {"RU-ENGELS", "Engels", "operating_base", "Saratov region"},
      {"RU-UKRAINKA", "Ukrainka", "operating_base", "Amur region"},
      {"RU-VOTKINSK", "Votkinsk", "production", "Udmurtia"},
      {"RU-KAZAN", "Kazan aviation plant", "production", "Tatarstan"},
      {"RU-TAGANROG", "Taganrog aircraft repair plant", "repair",
       "Rostov region"},
      {"RU-ICBM-STORAGE", "ICBM storage facility (synthetic placeholder)",
       "storage", ""},
      {"RU-SLBM-STORAGE", "SLBM storage facility (synthetic placeholder)",
       "storage", ""},
  };

  TypeMix ss18;
  ss18.code = "RS20V";
  ss18.category = "icbm";
  ss18.type = "RS-20V";
  ss18.launcher_type = "RS-20V launcher";
  ss18.basing = "silo";
  ss18.max_warheads = 10;
  ss18.typical_warheads_milli = 9000;
  ss18.launchers = {{D(2011, 2, 5), 58}, {D(2017, 9, 1), 46}};
  ss18.deploy_per_mille = 950;
  ss18.spare_missiles_per_mille = 200;
  ss18.bases = {"RU-DOMBAROVSKY", "RU-UZHUR"};
  ss18.storage = "RU-ICBM-STORAGE";
  ss18.source = kAssumption;

  TypeMix ss19;
  ss19.code = "RS18";
  ss19.category = "icbm";
  ss19.type = "RS-18";
  ss19.launcher_type = "RS-18 launcher";
  ss19.basing = "silo";
  ss19.max_warheads = 6;
  ss19.typical_warheads_milli = 5000;
  ss19.launchers = {
      {D(2011, 2, 5), 70}, {D(2014, 9, 1), 60}, {D(2019, 9, 1), 10}};
  ss19.deploy_per_mille = 850;
  ss19.spare_missiles_per_mille = 200;
  ss19.bases = {"RU-KOZELSK", "RU-TATISHCHEVO"};
  ss19.storage = "RU-ICBM-STORAGE";
  ss19.source = kAssumption;

  TypeMix topol;
  topol.code = "RS12M";
  topol.category = "icbm";
  topol.type = "RS-12M";
  topol.launcher_type = "RS-12M launcher";
  topol.basing = "mobile";
  topol.max_warheads = 1;
  topol.typical_warheads_milli = 1000;
  // Retired slowly: many launchers stay non-deployed at their bases while
  // the divisions re-equip with RS-24.
  topol.launchers = {{D(2011, 2, 5), 300}, {D(2014, 9, 1), 290},
                     {D(2016, 9, 1), 240}, {D(2018, 2, 5), 160},
                     {D(2020, 3, 1), 150}, {D(2022, 9, 1), 110}};
  topol.deploy_per_mille = 450;
  topol.spare_missiles_per_mille = 100;
  topol.bases = {"RU-BARNAUL",     "RU-IRKUTSK",      "RU-YOSHKAR-OLA",
                 "RU-NOVOSIBIRSK", "RU-NIZHNY-TAGIL", "RU-YURYA",
                 "RU-VYPOLZOVO",   "RU-TEYKOVO"};
  topol.storage = "RU-ICBM-STORAGE";
  topol.source = kAssumption;

  TypeMix topol_m;
  topol_m.code = "RS12M2";
  topol_m.category = "icbm";
  topol_m.type = "RS-12M2";
  topol_m.launcher_type = "RS-12M2 launcher";
  topol_m.basing = "silo";
  topol_m.max_warheads = 1;
  topol_m.launchers = {{D(2011, 2, 5), 60}};
  topol_m.deploy_per_mille = 950;
  topol_m.spare_missiles_per_mille = 100;
  topol_m.bases = {"RU-TATISHCHEVO"};
  topol_m.storage = "RU-ICBM-STORAGE";
  topol_m.source = kAssumption;

  TypeMix topol_m1;
  topol_m1.code = "RS12M1";
  topol_m1.category = "icbm";
  topol_m1.type = "RS-12M1";
  topol_m1.launcher_type = "RS-12M1 launcher";
  topol_m1.basing = "mobile";
  topol_m1.max_warheads = 1;
  topol_m1.launchers = {{D(2011, 2, 5), 18}};
  topol_m1.deploy_per_mille = 950;
  topol_m1.spare_missiles_per_mille = 100;
  topol_m1.bases = {"RU-TEYKOVO"};
  topol_m1.storage = "RU-ICBM-STORAGE";
  topol_m1.source = kAssumption;

  TypeMix yars;
  yars.code = "RS24";
  yars.category = "icbm";
  yars.type = "RS-24";
  yars.launcher_type = "RS-24 launcher";
  yars.basing = "mobile";
  yars.max_warheads = 4;
  yars.typical_warheads_milli = 3500;
  yars.launchers = {{D(2011, 2, 5), 18},
                    {D(2014, 9, 1), 70},
                    {D(2018, 2, 5), 130},
                    {D(2022, 9, 1), 190}};
  yars.deploy_per_mille = 900;
  yars.spare_missiles_per_mille = 200;
  yars.in_production = true;
  yars.bases = {"RU-TEYKOVO", "RU-NOVOSIBIRSK", "RU-NIZHNY-TAGIL",
                "RU-IRKUTSK", "RU-YOSHKAR-OLA", "RU-BARNAUL",
                "RU-YURYA"};
  yars.storage = "RU-ICBM-STORAGE";
  yars.production = "RU-VOTKINSK";
  yars.source = kAssumption;

  TypeMix ssn18;
  ssn18.code = "R29R";
  ssn18.category = "slbm";
  ssn18.type = "R-29R";
  ssn18.launcher_type = "R-29R launcher";
  ssn18.submarine_class = "Delta III-class";
  ssn18.tubes_per_submarine = 16;
  ssn18.max_warheads = 3;
  ssn18.typical_warheads_milli = 3000;
  ssn18.launchers = {{D(2011, 2, 5), 80},
                     {D(2014, 9, 1), 80},
                     {D(2016, 9, 1), 48},
                     {D(2019, 3, 1), 16}};
  ssn18.deploy_per_mille = 700;
  ssn18.spare_missiles_per_mille = 200;
  ssn18.remove_unit = 16;
  ssn18.bases = {"RU-VILYUCHINSK"};
  ssn18.storage = "RU-SLBM-STORAGE";
  ssn18.source = kAssumption;

  TypeMix sineva;
  sineva.code = "R29RMU2";
  sineva.category = "slbm";
  sineva.type = "R-29RMU2";
  sineva.launcher_type = "R-29RMU2 launcher";
  sineva.submarine_class = "Delta IV-class";
  sineva.tubes_per_submarine = 16;
  sineva.max_warheads = 4;
  sineva.typical_warheads_milli = 4000;
  sineva.launchers = {{D(2011, 2, 5), 96}};
  sineva.deploy_per_mille = 750;
  sineva.spare_missiles_per_mille = 300;
  sineva.remove_unit = 16;
  sineva.bases = {"RU-GADZHIYEVO"};
  sineva.storage = "RU-SLBM-STORAGE";
  sineva.source = kAssumption;

  TypeMix typhoon;
  typhoon.code = "R39";
  typhoon.category = "slbm";
  typhoon.type = "R-39";
  typhoon.launcher_type = "R-39 launcher";
  typhoon.submarine_class = "Typhoon-class";
  typhoon.tubes_per_submarine = 20;
  typhoon.max_warheads = 10;
  typhoon.typical_warheads_milli = 10000;
  typhoon.launchers = {
      {D(2011, 2, 5), 60}, {D(2019, 3, 1), 60}, {D(2020, 3, 1), 40}};
  typhoon.deploy_per_mille = 0;  // no missiles: launchers awaiting removal
  typhoon.remove_unit = 20;
  typhoon.bases = {"RU-SEVERODVINSK"};
  typhoon.storage = "RU-SLBM-STORAGE";
  typhoon.source = kAssumption;

  TypeMix bulava;
  bulava.code = "RSM56";
  bulava.category = "slbm";
  bulava.type = "RSM-56";
  bulava.launcher_type = "RSM-56 launcher";
  bulava.submarine_class = "Borei-class";
  bulava.tubes_per_submarine = 16;
  bulava.max_warheads = 6;
  bulava.typical_warheads_milli = 5000;
  bulava.launchers = {{D(2011, 2, 5), 0},
                      {D(2012, 9, 1), 0},
                      {D(2014, 9, 1), 32},
                      {D(2020, 3, 1), 64},
                      {D(2022, 9, 1), 80}};
  bulava.deploy_per_mille = 850;
  bulava.in_production = true;
  bulava.add_unit = 16;
  bulava.remove_unit = 16;
  bulava.bases = {"RU-GADZHIYEVO", "RU-VILYUCHINSK"};
  bulava.storage = "RU-SLBM-STORAGE";
  bulava.production = "RU-VOTKINSK";
  bulava.source = kAssumption;

  TypeMix tu95;
  tu95.code = "TU95MS";
  tu95.category = "heavy_bomber";
  tu95.type = "Tu-95MS";
  tu95.launchers = {
      {D(2011, 2, 5), 70}, {D(2016, 9, 1), 66}, {D(2022, 9, 1), 60}};
  tu95.deploy_per_mille = 750;
  tu95.bases = {"RU-ENGELS", "RU-UKRAINKA"};
  tu95.storage = "RU-TAGANROG";
  tu95.source = kAssumption;

  TypeMix tu160;
  tu160.code = "TU160";
  tu160.category = "heavy_bomber";
  tu160.type = "Tu-160";
  tu160.launchers = {
      {D(2011, 2, 5), 13}, {D(2021, 3, 1), 13}, {D(2022, 9, 1), 16}};
  tu160.deploy_per_mille = 750;
  tu160.in_production = true;
  tu160.bases = {"RU-ENGELS"};
  tu160.storage = "RU-KAZAN";
  tu160.production = "RU-KAZAN";
  tu160.source = kAssumption;

  p.types = {ss18,  ss19,   topol,   topol_m, topol_m1, yars,
             ssn18, sineva, typhoon, bulava,  tu95,     tu160};
  return p;
}

}  // namespace

std::vector<PartyProfile> NewStartProfiles() {
  return {UnitedStates(), Russia()};
}

}  // namespace detente::scenario
