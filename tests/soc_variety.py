"""Short SOC reports written the many ways real ones are, and the facts each must give.

Every report here is fictional and worded by us: the service organizations are invented, and the audit firms'
names only stand where real reports print a signature, so the reader meets the forms those names take
("/s/ Firm", a letterhead, an all-capitals name without a legal form, only the document's properties). Each
variant mixes a few of the ways reports differ: how the period or as-of date is written, how the kind and type
are named (or only implied), the opinion's wording, the signature and its date, the categories, subservice
organizations in prose or a table, the CUEC heading and the test-table results.

``build`` writes a variant's PDF with WeasyPrint; ``score`` compares the facts read from it with those
expected. tests/unit/vendors/test_report_variety.py asserts every fact; bench/bench_soc_variety.py counts them.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socready.core.vendors.facts import ReportFacts

D = dt.date
STYLE = """
@page { size: Letter; margin: 2cm; @bottom-center { content: "Page " counter(page); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 18pt; } h2 { font-size: 13pt; } section { break-before: page; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #777; padding: 3px; vertical-align: top; }
"""
FACTS = ("report", "type", "period_start", "period_end", "as_of", "service_auditor", "report_date", "opinion",
         "categories", "subservice_organizations", "cuecs", "exceptions", "standard")


@dataclass(frozen=True)
class Variant:
    """One report: its pages as HTML, the author in its properties and the facts it must give."""

    name: str
    pages: tuple[str, ...]
    expect: dict[str, Any]
    author: str = "Report Production"


def _p(*lines: str) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def _signature(*lines: str) -> str:
    return "<div>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</div>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    top = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{top}</tr>{body}</table>"


def _tests(results: Sequence[str]) -> str:
    rows = [(f"CC{n}.{n % 3 + 1}", f"Control activity {n} runs as the description says.",
             f"Inspected a sample of 25 occurrences of activity {n}.", result) for n, result in enumerate(results, 1)]
    return "<h2>Tests of Controls and Results of Tests</h2>" + _table(
        ("Control", "Control activity", "Test applied by the service auditor", "Result"), rows)


def _cuecs(heading: str, items: Sequence[str], style: str = "numbered") -> str:
    if style == "bullets":
        body = "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    elif style == "table":
        body = _table(("#", "Control expected of the user entity"), [(str(n), i) for n, i in enumerate(items, 1)])
    else:
        body = "".join(f"<p>{n}. {i}</p>" for n, i in enumerate(items, 1))
    return f"<h2>{heading}</h2><p>User entities are expected to run the controls below.</p>{body}"


CUEC_ITEMS = ("User entities review who holds access to the application every quarter and remove leavers.",
              "User entities tell the service organization about changes to their authorised contacts.",
              "User entities check the reports they receive for completeness before relying on them.")
CLEAN_SOC1 = ("In our opinion, in all material respects, the description fairly presents the system as designed "
              "and implemented throughout the period, the controls stated in it were suitably designed, and the "
              "controls operated effectively throughout the period to achieve the control objectives.")
CLEAN_SOC2 = ("In our opinion, in all material respects, the description presents the system as designed and "
              "implemented throughout the period, and the controls were suitably designed and operated effectively "
              "to meet the applicable trust services criteria.")


def _expect(**facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"type": None, "period_start": None, "period_end": None, "as_of": None,
                            "categories": (), "subservice_organizations": (), "cuecs": 0, "exceptions": 0}
    return {**base, **facts}


def _sections(*pages: str) -> tuple[str, ...]:
    return tuple(f"<section>{p}</section>" for p in pages)


HEADING = "<h2>Independent Service Auditor's Report</h2>"

VARIANTS: list[Variant] = [
    Variant("soc1_type2_us_slash_s", _sections(
        "<h1>Cobalt Ledger Corp.</h1>" + _p("SOC 1\u00ae Type 2 Report",
                                             "Report on the Description of the Claims Processing System and the "
                                             "Suitability of the Design and Operating Effectiveness of Controls",
                                             "for the period October 1, 2024, to September 30, 2025"),
        HEADING + _p("To the Management of Cobalt Ledger Corp.",
                     "We have examined the description of the claims processing system throughout the period "
                     "October 1, 2024, to September 30, 2025. Cobalt Ledger uses Northwind Data Centers for "
                     "colocation services (subservice organization). The description uses the carve-out method "
                     "and excludes the controls of Northwind Data Centers.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC1) + _signature("/s/ Ernst & Young LLP", "Chicago, Illinois",
                                                           "November 14, 2025"),
        _cuecs("Complementary User Entity Controls", CUEC_ITEMS),
        _tests(["No deviations noted.", "Deviation noted. One of 25 claims lacked a second review.",
                "No deviations noted."])),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 10, 1), period_end=D(2025, 9, 30),
                service_auditor="Ernst & Young LLP", report_date=D(2025, 11, 14), opinion="unqualified",
                subservice_organizations=(("Northwind Data Centers", "carve-out"),), cuecs=3, exceptions=1,
                standard="")),
    Variant("isae3402_type2_day_first_inclusive", _sections(
        "<h1>Heronsgate Pensions Administration Limited</h1>"
        + _p("ISAE 3402 Type II Assurance Report on Internal Controls",
             "from 1 April 2024 through 31 March 2025"),
        "<h2>Independent Service Auditor\u2019s Assurance Report on the Description of Controls</h2>"
        + _p("To the Directors of Heronsgate Pensions Administration Limited",
             "Heronsgate uses Fenmoor Print Ltd for statement printing services (subservice organisation). The "
             "relevant controls of Fenmoor Print Ltd are included in the scope of this report (the inclusive "
             "method).")
        + "<h3>Opinion</h3>" + _p("Our opinion has been formed on the basis of the matters outlined in this "
                                  "report. In our opinion, in all material respects, the description presents "
                                  "fairly the system as designed and implemented from 1 April 2024 through 31 "
                                  "March 2025, and the controls were suitably designed and operated effectively.")
        + _signature("Deloitte & Touche LLP", "Edinburgh, United Kingdom", "12 May 2025"),
        _cuecs("User Entity Responsibilities", CUEC_ITEMS[:2], "bullets")),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                service_auditor="Deloitte & Touche LLP", report_date=D(2025, 5, 12), opinion="unqualified",
                subservice_organizations=(("Fenmoor Print Ltd", "inclusive"),), cuecs=2, standard="ISAE 3402"),
        author="heronsgate-docs"),
    Variant("soc2_type2_numeric_dates_kpmg", _sections(
        "<h1>Tallgrass Analytics, Inc.</h1>"
        + _p("System and Organization Controls (SOC) 2 Type II Report",
             "Relevant to Security, Availability and Confidentiality",
             "throughout the period 01/01/2025 \u2013 12/31/2025"),
        HEADING + _p("To Tallgrass Analytics, Inc.",
                     "Tallgrass uses Amazon Web Services to provide cloud hosting services (subservice "
                     "organization). The controls of Amazon Web Services are excluded from the scope of our "
                     "examination.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _signature("KPMG LLP", "New York, New York", "03/03/2026"),
        _tests(["No exceptions noted.", "No exceptions noted."])),
        _expect(report="SOC 2", type="Type II", period_start=D(2025, 1, 1), period_end=D(2025, 12, 31),
                service_auditor="KPMG LLP", report_date=D(2026, 3, 3), opinion="unqualified",
                categories=("Security", "Availability", "Confidentiality"),
                subservice_organizations=(("Amazon Web Services", "carve-out"),), standard="")),
    Variant("soc2_twelve_months_ended_five_categories", _sections(
        "<h1>Quillfeather Health Data LLC</h1>"
        + _p("SOC 2 Type 2", "for the twelve months ended June 30, 2025"),
        HEADING + _p("To the Board of Quillfeather Health Data LLC",
                     "We have examined the description and the suitability of the design and operating "
                     "effectiveness of controls to meet the criteria for the Security, Availability, Processing "
                     "Integrity, Confidentiality, and Privacy categories set out in TSP section 100.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _signature("PricewaterhouseCoopers LLP", "Boston, Massachusetts",
                                                           "2025-09-03"),
        _cuecs("Complementary User Entity Control Considerations", CUEC_ITEMS, "table")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 7, 1), period_end=D(2025, 6, 30),
                service_auditor="PricewaterhouseCoopers LLP", report_date=D(2025, 9, 3), opinion="unqualified",
                categories=("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy"),
                cuecs=3, standard="")),
    Variant("soc2_type1_as_of_common_criteria", _sections(
        "<h1>Juniper Rail Software Inc.</h1>"
        + _p("SOC 2 Type I Report", "as of March 31, 2025"),
        HEADING + _p("To Juniper Rail Software Inc.",
                     "We have examined the description of the system as of March 31, 2025 and the suitability of "
                     "the design of controls to meet the common criteria (Security) of the trust services "
                     "criteria. We did not perform any procedures regarding the operating effectiveness of "
                     "controls.")
        + "<h3>Opinion</h3>" + _p("In our opinion, in all material respects, the description presents the system "
                                  "as designed and implemented as of March 31, 2025, and the controls were "
                                  "suitably designed to meet the criteria if they operated effectively as of that "
                                  "date.")
        + _signature("BDO USA, P.C.", "Seattle, Washington", "May 3, 2025")),
        _expect(report="SOC 2", type="Type I", as_of=D(2025, 3, 31), service_auditor="BDO USA, P.C.",
                report_date=D(2025, 5, 3), opinion="unqualified", categories=("Security",), standard="")),
    Variant("soc2_type1_as_at_uk", _sections(
        "<h1>Marlpit Payroll Cloud Ltd</h1>"
        + _p("SOC 2 Type 1 report on controls relevant to Security and Confidentiality",
             "as at 31 March 2025"),
        HEADING + _p("To the Directors of Marlpit Payroll Cloud Ltd",
                     "We have examined the description as at 31 March 2025 and the suitability of the design of "
                     "the controls stated in it.")
        + "<h3>Opinion</h3>" + _p("In our opinion, in all material respects, the description presents the system "
                                  "as designed as at 31 March 2025 and the controls were suitably designed.")
        + _signature("Grant Thornton LLP", "Manchester, United Kingdom", "3 June 2025")),
        _expect(report="SOC 2", type="Type I", as_of=D(2025, 3, 31), service_auditor="Grant Thornton LLP",
                report_date=D(2025, 6, 3), opinion="unqualified", categories=("Security", "Confidentiality"),
                standard="")),
    Variant("soc2_ocr_type_ll_aligned", _sections(
        "<h1>Brightwater Logistics Platform</h1>"
        + _p("SOC 2 Type ll Report", "Relevant to the Security and Availability categories",
             "For the period May 1st, 2024 through April 30th, 2025"),
        HEADING + _p("To Brightwater Logistics",
                     "Brightwater uses Google Cloud Platform for infrastructure services (subservice "
                     "organization), presented using the carve-out method.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2)
        + _signature("A-LIGN ASSURANCE", "Tampa, Florida", "06/20/2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 5, 1), period_end=D(2025, 4, 30),
                service_auditor="A-LIGN ASSURANCE", report_date=D(2025, 6, 20), opinion="unqualified",
                categories=("Security", "Availability"),
                subservice_organizations=(("Google Cloud Platform", "carve-out"),), standard="")),
    Variant("soc1_design_only_implies_type1", _sections(
        "<h1>Ashgrove Transfer Agents, Inc.</h1>"
        + _p("SOC 1 Report on the Description of the Transfer Agency System and the Suitability of Design of "
             "Controls", "as of December 31, 2024"),
        HEADING + _p("To Ashgrove Transfer Agents, Inc.",
                     "We have examined the description as of December 31, 2024 and the suitability of the design "
                     "of the controls to achieve the control objectives. We did not perform any procedures "
                     "regarding the operating effectiveness of the controls and do not express an opinion on "
                     "it.")
        + "<h3>Opinion</h3>" + _p("In our opinion, in all material respects, the description fairly presents "
                                  "the system as designed as of December 31, 2024, and the controls were suitably "
                                  "designed to achieve the control objectives if they operated effectively as of "
                                  "that date.")
        + _signature("/s/ Schellman & Company, LLC", "Tampa, Florida", "February 10, 2025")),
        _expect(report="SOC 1", type="Type I", as_of=D(2024, 12, 31), service_auditor="Schellman & Company, LLC",
                report_date=D(2025, 2, 10), opinion="unqualified", standard="")),
    Variant("soc2_effectiveness_implies_type2", _sections(
        "<h1>Pinecrest Identity Services</h1>"
        + _p("SOC 2 Report on Controls Relevant to Security and Privacy",
             "October 1, 2024 \u2014 September 30, 2025"),
        HEADING + _p("To Pinecrest Identity Services",
                     "We have examined the description and the suitability of the design and operating "
                     "effectiveness of controls throughout the period October 1, 2024 to September 30, 2025.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2)
        + _signature("Johanson Group LLP", "Folsom, California", "December 1, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 10, 1), period_end=D(2025, 9, 30),
                service_auditor="Johanson Group LLP", report_date=D(2025, 12, 1), opinion="unqualified",
                categories=("Security", "Privacy"), standard="")),
    Variant("soc_for_service_organizations_icfr", _sections(
        "<h1>Redfern Benefits Administration</h1>"
        + _p("SOC for Service Organizations: ICFR", "Type 2 Examination",
             "For the period January 1, 2025 to\nJune 30, 2025"),
        HEADING + _p("To Redfern Benefits Administration",
                     "Redfern uses Calder Hosting LLC for managed hosting services (subservice organization). "
                     "Our examination included the relevant controls of Calder Hosting LLC using the inclusive "
                     "method.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC1) + _signature("Crowe LLP", "Indianapolis, Indiana", "August 8, 2025")),
        _expect(report="SOC 1", type="Type II", period_start=D(2025, 1, 1), period_end=D(2025, 6, 30),
                service_auditor="Crowe LLP", report_date=D(2025, 8, 8), opinion="unqualified",
                subservice_organizations=(("Calder Hosting LLC", "inclusive"),), standard="")),
    Variant("ssae18_atc320_only", _sections(
        "<h1>Wexford Loan Servicing Co.</h1>"
        + _p("Report on a Service Organization\u2019s Controls Relevant to User Entities\u2019 Internal Control "
             "over Financial Reporting", "Examination under SSAE 18 (AT-C 320)",
             "For the period July 1, 2024 through June 30, 2025"),
        HEADING + _p("To Wexford Loan Servicing Co.",
                     "We examined the description and the suitability of the design and operating effectiveness "
                     "of controls throughout the period July 1, 2024 through June 30, 2025.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC1)
        + _signature("Prescient Assurance LLC", "Chattanooga, Tennessee", "September 12, 2025")),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 7, 1), period_end=D(2025, 6, 30),
                service_auditor="Prescient Assurance LLC", report_date=D(2025, 9, 12), opinion="unqualified",
                standard="SSAE 18")),
    Variant("atc205_trust_services_criteria", _sections(
        "<h1>Glasshouse Marketing Cloud</h1>"
        + _p("Type 2 Report on Controls Relevant to Security, Availability and Confidentiality",
             "Prepared under AT-C section 205 using the trust services criteria",
             "For the period March 1, 2024 to February 28, 2025"),
        HEADING + _p("To Glasshouse Marketing Cloud",
                     "Glasshouse uses the following subservice organizations:")
        + _table(("Subservice organization", "Services provided", "Method"),
                 [("Microsoft Azure", "Cloud hosting", "Carve-out"), ("Twilio Inc.", "Messaging", "Carve-out")])
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2)
        + _signature("Sensiba LLP", "San Jose, California", "April 18, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 3, 1), period_end=D(2025, 2, 28),
                service_auditor="Sensiba LLP", report_date=D(2025, 4, 18), opinion="unqualified",
                categories=("Security", "Availability", "Confidentiality"),
                subservice_organizations=(("Microsoft Azure", "carve-out"), ("Twilio Inc.", "carve-out")),
                standard="")),
    Variant("isae3000_metadata_only_firm", _sections(
        "<h1>Ferncliff Secure Storage B.V.</h1>"
        + _p("ISAE 3000 Type II Assurance Report", "on controls relevant to Security and Availability",
             "for the period 1 January 2025 to 30 June 2025"),
        HEADING + _p("To the Management Board of Ferncliff Secure Storage B.V.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _p("Amsterdam, 29 August 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2025, 1, 1), period_end=D(2025, 6, 30),
                service_auditor="Coalfire Controls LLC", report_date=D(2025, 8, 29), opinion="unqualified",
                categories=("Security", "Availability"), standard="ISAE 3000"),
        author="Coalfire Controls LLC"),
    Variant("qualified_except_for_effects", _sections(
        "<h1>Lowmoor Card Services</h1>" + _p("SOC 1 Type II Report", "October 1, 2024 to September 30, 2025"),
        HEADING + "<h3>Basis for Qualified Opinion</h3>"
        + _p("Lowmoor states that terminated users are removed within one day. For 3 of 20 leavers sampled, access "
             "stayed open for more than two weeks.")
        + "<h3>Qualified Opinion</h3>"
        + _p("In our opinion, except for the effects of the matter described in the preceding paragraph, in all "
             "material respects, the controls operated effectively throughout the period.")
        + _signature("Insight Assurance LLC", "Tampa, FL", "November 20, 2025"),
        _tests(["Exception noted", "No exceptions noted.", "Exceptions noted: 3 of 20 leavers kept access."])),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 10, 1), period_end=D(2025, 9, 30),
                service_auditor="Insight Assurance LLC", report_date=D(2025, 11, 20), opinion="qualified",
                exceptions=2, standard="")),
    Variant("qualified_except_for_matter_basis", _sections(
        "<h1>Stonebridge Clearing LLC</h1>" + _p("SOC 2 Type 2", "relevant to Security",
                                                   "for the period April 1, 2024 to March 31, 2025"),
        HEADING + _p("In our opinion, except for the matter described in the Basis for Qualified Opinion "
                     "paragraph, in all material respects, the controls operated effectively.")
        + _signature("Grant Thornton LLP", "Dallas, Texas", "June 2, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                service_auditor="Grant Thornton LLP", report_date=D(2025, 6, 2), opinion="qualified",
                categories=("Security",), standard="")),
    Variant("adverse_heading", _sections(
        "<h1>Oakhollow Trade Finance</h1>" + _p("SOC 1 Type 2 Report",
                                                 "for the period January 1, 2025 to December 31, 2025"),
        HEADING + "<h3>Basis for Adverse Opinion</h3>"
        + _p("Reconciliations were not performed for six of the twelve months.")
        + "<h3>Adverse Opinion</h3>"
        + _p("In our opinion, because of the significance of the matter described in the Basis for Adverse "
             "Opinion paragraph, the description does not present fairly the system, and the controls did not "
             "operate effectively throughout the period.")
        + _signature("KPMG LLP", "Charlotte, North Carolina", "February 27, 2026")),
        _expect(report="SOC 1", type="Type II", period_start=D(2025, 1, 1), period_end=D(2025, 12, 31),
                service_auditor="KPMG LLP", report_date=D(2026, 2, 27), opinion="adverse", standard="")),
    Variant("disclaimer_in_opinion_section", _sections(
        "<h1>Vantor Claims Exchange</h1>" + _p("SOC 2 Type II", "relevant to Security and Availability",
                                                "for the period July 1, 2024 to June 30, 2025"),
        HEADING + "<h3>Basis for Disclaimer of Opinion</h3>"
        + _p("Vantor could not provide the system logs for the period, and we could not obtain evidence by other "
             "means.") + "<h3>Disclaimer of Opinion</h3>"
        + _p("Because of the significance of the matter described above, we have not been able to obtain "
             "sufficient appropriate evidence, and accordingly we do not express an opinion on the description "
             "or on the suitability of the design and operating effectiveness of the controls.")
        + _signature("Crowe LLP", "Chicago, Illinois", "September 30, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 7, 1), period_end=D(2025, 6, 30),
                service_auditor="Crowe LLP", report_date=D(2025, 9, 30), opinion="disclaimer",
                categories=("Security", "Availability"), standard="")),
    Variant("unqualified_with_other_matter_no_opinion", _sections(
        "<h1>Eastbrook Records Management</h1>" + _p("SOC 2 Type 2 Report", "relevant to Security",
                                                      "for the period June 1, 2024 to May 31, 2025"),
        HEADING + _p("The section titled Other Information Provided by Eastbrook is presented by management to "
                     "give more information. We do not express an opinion on management\u2019s description of "
                     "its future plans in that section.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _signature("/s/ Coalfire Controls LLC", "Denver, Colorado",
                                                           "July 15, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 6, 1), period_end=D(2025, 5, 31),
                service_auditor="Coalfire Controls LLC", report_date=D(2025, 7, 15), opinion="unqualified",
                categories=("Security",), standard="")),
    Variant("letterhead_firm_and_table_inclusive", _sections(
        "<h1>Saltmarsh Benefits Portal</h1>" + _p("SOC 1 Type 2 Report",
                                                   "For the Period November 1, 2024 \u2013 October 31, 2025"),
        _p("SENSIBA LLP", "1340 Example Avenue, Suite 100", "Pleasanton, CA 94588") + HEADING
        + _p("To Saltmarsh Benefits Portal", "Saltmarsh relies on the subservice organizations below.")
        + _table(("Subservice organization", "Service", "Treatment"),
                 [("Harbourline Print Co.", "Statement printing", "Inclusive"),
                  ("Rackspace US, Inc.", "Data center hosting", "Carve-out")])
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC1) + _p("Pleasanton, California", "December 12, 2025")),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 11, 1), period_end=D(2025, 10, 31),
                service_auditor="SENSIBA LLP", report_date=D(2025, 12, 12), opinion="unqualified",
                subservice_organizations=(("Harbourline Print Co.", "inclusive"),
                                          ("Rackspace US, Inc.", "carve-out")), standard="")),
    Variant("soc3_general_use_em_dash", _sections(
        "<h1>Cinderford Mail Services</h1>" + _p("SOC 3\u00ae Report", "Relevant to Security, Availability, "
                                                 "Processing Integrity, Confidentiality and Privacy",
                                                 "July 1, 2024 \u2014 June 30, 2025"),
        "<h2>Report of Independent Accountants</h2>"
        + _p("To the Management of Cinderford Mail Services",
             "Cinderford uses Amazon Web Services for cloud hosting services and Stripe, Inc. for payment "
             "processing services (the subservice organizations). The description does not include the controls "
             "of the subservice organizations (the carve-out method).")
        + "<h3>Opinion</h3>" + _p("In our opinion, management\u2019s assertion that the controls were effective "
                                  "throughout the period is fairly stated, in all material respects.")
        + _signature("Ernst & Young LLP", "San Jose, California", "September 5, 2025")),
        _expect(report="SOC 3", period_start=D(2024, 7, 1), period_end=D(2025, 6, 30),
                service_auditor="Ernst & Young LLP", report_date=D(2025, 9, 5), opinion="unqualified",
                categories=("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy"),
                subservice_organizations=(("Amazon Web Services", "carve-out"), ("Stripe, Inc.", "carve-out")),
                standard="")),
    Variant("soc_for_tsc_numeric_day_first", _sections(
        "<h1>Kestrel Workforce Cloud Pty Ltd</h1>"
        + _p("SOC for Service Organizations: Trust Services Criteria", "Type 2 report",
             "for the period 01/04/2024 to 31/03/2025"),
        "<h2>Independent Service Auditor\u2019s Report</h2>"
        + _p("To the Directors of Kestrel Workforce Cloud Pty Ltd",
             "We examined the description and the controls relevant to the Availability and Security "
             "categories.")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _signature("Sensiba LLP", "Sydney, Australia", "15/05/2025"),
        _tests(["No exceptions noted.", "Exception noted. Two of 25 restores were not tested."])),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                service_auditor="Sensiba LLP", report_date=D(2025, 5, 15), opinion="unqualified",
                categories=("Security", "Availability"), exceptions=1, standard="")),
    # A UK report: dates in words day first elsewhere, so the ambiguous 03/06/2025 under the signature is 3 June.
    Variant("isae3402_uk_ambiguous_numeric_report_date", _sections(
        "<h1>Ashcombe Payroll Bureau Limited</h1>"
        + _p("ISAE 3402 Type II Report", "for the period 1 April 2024 to 31 March 2025"),
        "<h2>Independent Service Auditor\u2019s Assurance Report</h2>"
        + _p("To the Directors of Ashcombe Payroll Bureau Limited",
             "We have examined the description of the payroll system throughout the period 1 April 2024 to "
             "31 March 2025.")
        + "<h3>Opinion</h3>" + _p("In our opinion, in all material respects, the description fairly presents the "
                                  "system as designed and implemented throughout the period 1 April 2024 to 31 "
                                  "March 2025, and the controls were suitably designed and operated effectively.")
        + _signature("Grant Thornton UK LLP", "Reading, United Kingdom", "03/06/2025")),
        _expect(report="SOC 1", type="Type II", period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                service_auditor="Grant Thornton UK LLP", report_date=D(2025, 6, 3), opinion="unqualified",
                standard="ISAE 3402")),
    Variant("type_l_ocr_as_of_first_of", _sections(
        "<h1>Millrace Escrow Services</h1>"
        + _p("SOC 1 Type l Report", "as of the 1st of July 2025"),
        HEADING + _p("To Millrace Escrow Services",
                     "Millrace uses Cardinal Vault LLC for offsite storage services and Amberline Couriers, LLC "
                     "for courier services (subservice organizations). The controls of these subservice "
                     "organizations are excluded from the scope of this report.")
        + "<h3>Opinion</h3>" + _p("In our opinion, in all material respects, the description fairly presents "
                                  "the system as designed as of July 1, 2025, and the controls were suitably "
                                  "designed.")
        + _signature("Johanson Group LLP", "Folsom, CA", "August 21, 2025"),
        _cuecs("Complementary User Entity Controls (CUECs)", CUEC_ITEMS)),
        _expect(report="SOC 1", type="Type I", as_of=D(2025, 7, 1), service_auditor="Johanson Group LLP",
                report_date=D(2025, 8, 21), opinion="unqualified",
                subservice_organizations=(("Cardinal Vault LLC", "carve-out"), ("Amberline Couriers, LLC",
                                                                               "carve-out")),
                cuecs=3, standard="")),
    Variant("wrapped_results_and_signature_block", _sections(
        "<h1>Hollybrook Pharmacy Benefits</h1>"
        + _p("SOC 2\u00ae Type 2 Report on Controls at a Service Organization",
             "Relevant to Security, Confidentiality, and Processing Integrity",
             "For the Period\nApril 1, 2024 to March 31, 2025"),
        HEADING + _p("To the Management of Hollybrook Pharmacy Benefits")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2)
        + _signature("/s/ PricewaterhouseCoopers LLP", "Hartford, Connecticut", "June 27, 2025"),
        _cuecs("Complementary User Entity Controls", CUEC_ITEMS, "table"),
        _tests(["No exceptions noted for the sampled items in the period.",
                "Deviation noted: for 1 of 40 changes the tester and the approver were the same person.",
                "No deviations noted for the sampled items in the period."])),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 4, 1), period_end=D(2025, 3, 31),
                service_auditor="PricewaterhouseCoopers LLP", report_date=D(2025, 6, 27), opinion="unqualified",
                categories=("Security", "Processing Integrity", "Confidentiality"), cuecs=3, exceptions=1,
                standard="")),
    Variant("subservice_named_in_its_own_sentence", _sections(
        "<h1>Thornbury Document Cloud</h1>"
        + _p("SOC 2 Type 2 Report", "Relevant to Security", "for the period August 1, 2024 to July 31, 2025"),
        HEADING + _p("To Thornbury Document Cloud",
                     "Thornbury uses Amazon Web Services (AWS), a subservice organization, to provide cloud "
                     "hosting services. Thornbury uses Okta, Inc., a subservice organization, for identity "
                     "services. The description excludes the controls of these subservice organizations (the "
                     "carve-out method).")
        + "<h3>Opinion</h3>" + _p(CLEAN_SOC2) + _signature("Moss Adams LLP", "Seattle, Washington",
                                                           "September 19, 2025")),
        _expect(report="SOC 2", type="Type II", period_start=D(2024, 8, 1), period_end=D(2025, 7, 31),
                service_auditor="Moss Adams LLP", report_date=D(2025, 9, 19), opinion="unqualified",
                categories=("Security",),
                subservice_organizations=(("Amazon Web Services", "carve-out"), ("Okta, Inc.", "carve-out")),
                standard="")),
]


def build(variant: Variant, folder: Path) -> Path:
    """Write ``variant`` as a PDF in ``folder`` and return its path."""
    from weasyprint import HTML

    page = (f'<html><head><meta charset="utf-8"><title>{variant.name}</title>'
            f'<meta name="author" content="{html.escape(variant.author)}"><style>{STYLE}</style></head>'
            f"<body>{''.join(variant.pages)}</body></html>")
    target = folder / f"{variant.name}.pdf"
    HTML(string=page).write_pdf(target)
    return target


def _got(facts: ReportFacts, name: str) -> Any:
    if name == "subservice_organizations":
        return tuple((s.name, s.method) for s in facts.subservice_organizations)
    if name in ("cuecs", "exceptions"):
        return len(getattr(facts, name))
    return getattr(facts, name)


def score(facts: ReportFacts, expect: dict[str, Any]) -> dict[str, tuple[bool, Any, Any]]:
    """For each expected fact: whether it was read right, what was read and what was expected."""
    out = {}
    for name in FACTS:
        if name not in expect:
            continue
        got = _got(facts, name)
        out[name] = (got == expect[name], got, expect[name])
    return out


@dataclass
class Tally:
    """Facts read right and in all, by fact name."""

    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)

    def add(self, scored: dict[str, tuple[bool, Any, Any]]) -> None:
        """Count one report's scored facts."""
        for name, (ok, _, _) in scored.items():
            self.total[name] = self.total.get(name, 0) + 1
            self.right[name] = self.right.get(name, 0) + ok
