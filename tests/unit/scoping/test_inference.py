"""The free-text classifier: phrases found, negations respected, confidence combined honestly."""

from __future__ import annotations

from socready.core.scoping.inference import ACCEPT, classify, combine


def test_payroll_description_is_inferred_with_the_phrases_that_triggered_it() -> None:
    found = classify("We run payroll and compute gross-to-net pay for dental practices.")
    payroll = found.get("financial_impact", "payroll")
    assert payroll is not None
    assert {"payroll", "gross-to-net"} <= set(payroll.phrases)
    assert ACCEPT <= payroll.confidence <= 1


def test_negated_phrase_rules_the_fact_out_instead_of_in() -> None:
    found = classify("We do not process payments and never store card data.")
    assert found.get("financial_impact", "payment-processing") is None
    assert found.excluded("financial_impact", "payment-processing") is not None
    assert found.get("data", "cardholder") is None


def test_negation_does_not_leak_into_the_next_clause() -> None:
    found = classify("We have no SLA, but we run payroll for restaurants.")
    assert found.get("financial_impact", "payroll") is not None
    assert found.get("commitments", "uptime") is None


def test_passive_negation_after_the_phrase_counts() -> None:
    assert classify("Payroll is not part of our product.").get("financial_impact", "payroll") is None


def test_outsourced_payments_count_against_payment_processing() -> None:
    found = classify("Checkout runs through Stripe; Stripe handles payments for us.")
    assert found.get("financial_impact", "payment-processing") is None
    assert any(i.value.startswith("Stripe") for i in found.values("subservice"))


def test_more_independent_evidence_means_more_confidence() -> None:
    one = classify("We offer billing.").get("financial_impact", "billing-invoicing")
    many = classify("We offer subscription billing, invoicing and dunning.").get(
        "financial_impact", "billing-invoicing"
    )
    assert many is not None
    assert one is None or one.confidence < many.confidence


def test_repeating_a_word_does_not_inflate_confidence() -> None:
    once = classify("Our invoicing tool.").get("financial_impact", "billing-invoicing")
    thrice = classify("Invoicing. Invoicing. Invoicing.").get("financial_impact", "billing-invoicing")
    assert once == thrice


def test_combine_is_the_chance_that_at_least_one_piece_of_evidence_holds() -> None:
    assert combine([]) == 0
    assert abs(combine([0.5, 0.5]) - 0.75) < 1e-9


def test_reports_asked_and_already_held_are_told_apart() -> None:
    found = classify("A bank asked us for a SOC 1 Type 2. We already hold ISO 27001 certification.")
    assert [i.value for i in found.values("report_asked")] == ["SOC 1 Type II"]
    assert [i.value for i in found.values("existing_report")] == ["ISO 27001"]


def test_deadline_and_control_maturity_are_read_in_months() -> None:
    found = classify(
        "The prospect needs the report within 6 weeks. Our controls have been operating for two years."
    )
    assert found.values("deadline_months")[0].value == "1"
    assert found.values("controls_operating_months")[0].value == "24"


def test_the_pronoun_us_is_not_the_united_states() -> None:
    assert classify("Customers trust us with their files.").get("regions", "US") is None
    assert classify("Customers in the US trust our files.").get("regions", "US") is not None


def test_nothing_is_inferred_from_empty_text() -> None:
    found = classify("")
    assert found.facts == () and found.ruled_out == ()


def test_employee_hr_records_and_bank_details_are_personal_data() -> None:
    found = classify("We keep our customers' employee HR records, including their bank details.")
    personal = found.get("data", "personal")
    assert personal is not None
    assert {"employee hr records", "bank details"} <= set(personal.phrases)


def test_hr_records_payroll_data_and_staff_bank_details_each_say_personal_data() -> None:
    for text in ("We host HR records for small firms.", "We store payroll data for employers.",
                 "We hold employees' bank details."):
        assert classify(text).get("data", "personal") is not None, text


def test_a_suppliers_bank_details_alone_are_financial_records_not_personal_data() -> None:
    found = classify("We keep suppliers' bank details for remittances.")
    assert found.get("data", "personal") is None
    assert found.get("data", "financial-records") is not None
