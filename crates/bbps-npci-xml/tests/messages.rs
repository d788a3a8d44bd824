//! Every message we build is valid against NPCI's schemas, survives sealing and opening unchanged, and reads back
//! into the port's types it was made from.

mod support;

use bbps_core::Biller;
use bbps_npci_xml::map::{bill, biller, complaint};
use bbps_npci_xml::message::Message;
use bbps_npci_xml::xml;
use support::samples;

#[test]
fn every_message_is_valid_against_the_npci_schemas() {
    let Some(xsd) = support::xsd_dir() else { return };
    let mut failures = Vec::new();
    for message in samples::all() {
        let unsigned = xml::encode(&message).unwrap();
        if let Err(e) = support::validate(&xsd, message.kind().as_str(), &unsigned) {
            failures.push(format!("{}: {e}\n{unsigned}", message.kind()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn sealed_messages_open_to_the_same_message() {
    let (ours, central) = (support::our_envelope(), support::central_envelope());
    for message in samples::all() {
        // We seal, the central unit opens; and the other way round (it signs with exclusive C14N, we with
        // inclusive).
        let opened = central.open(ours.seal(&message).unwrap().as_bytes()).unwrap();
        assert_eq!(opened, message);
        let opened = ours.open(central.seal(&message).unwrap().as_bytes()).unwrap();
        assert_eq!(opened, message);
    }
}

#[test]
fn the_port_types_survive_the_wire() {
    let s = samples::stamp();
    let (o, at) = (samples::ours(), samples::now());
    let req = samples::bill_request(&s.ref_id);
    let fetch = bill::fetch_request(&req, &samples::mobile(), &o, &s, at);
    let back = bill::fetch_request_of(&fetch).unwrap();
    assert_eq!(format!("{back:?}"), format!("{req:?}"));

    let response = bill::fetch_response(&fetch, Ok(&samples::sample_bill()), &samples::central(), at);
    assert_eq!(bill::bill_from_fetch(&response).unwrap(), samples::sample_bill());

    for with_bill in [true, false] {
        let pay = samples::pay_request(&s.ref_id, with_bill);
        let msg = bill::payment_request(&pay, &o, &s, &samples::txn_ref(&s.ref_id), at, None);
        let back = bill::payment_request_of(&msg).unwrap();
        assert_eq!(format!("{back:?}"), format!("{pay:?}"));
        // The fee's parts must add up to custConvFee.
        let mut off = msg.clone();
        off.amount.tags[1].value = "91".into();
        let e = bill::payment_request_of(&off).unwrap_err();
        assert!(e.contains("do not add up to custConvFee"), "{e}");
    }

    for r in samples::complaint_requests() {
        let back = complaint::complaint_request_of(&complaint::complaint_request(&r, &o, &s)).unwrap();
        assert_eq!(format!("{back:?}"), format!("{r:?}"));
        assert!(complaint::reopening_of(&complaint::complaint_request(&r, &o, &s)).is_none(), "a new complaint");
    }
    let id = bbps_core::ComplaintId::parse("CMP000000000001").unwrap();
    let reopen = complaint::reopen_request(&id, "Still due", &o, &s);
    assert_eq!(complaint::reopening_of(&reopen), Some(Ok((id, "Still due".to_owned()))));

    let b = samples::sample_biller();
    let round: Biller = biller::biller_of(&biller::record_of(&b)).unwrap();
    assert_eq!(round, b);

    // A plan reads back as written, its price exactly (rupees with two decimals on the wire); a withdrawn one,
    // or one whose price does not read, is no plan.
    let plan = samples::sample_plan();
    let detail = bbps_npci_xml::map::plan::detail_of(&plan);
    assert_eq!(detail.amount_in_rupees, "299.50");
    assert_eq!(bbps_npci_xml::map::plan::plan_of(&detail), Ok(Some(plan)));
    let withdrawn = bbps_npci_xml::message::plan::PlanDetail { status: "DEACTIVATED".into(), ..detail.clone() };
    assert_eq!(bbps_npci_xml::map::plan::plan_of(&withdrawn), Ok(None));
    for price in ["-1", "abc", "0.0", "1.234"] {
        let odd = bbps_npci_xml::message::plan::PlanDetail { amount_in_rupees: price.into(), ..detail.clone() };
        assert!(bbps_npci_xml::map::plan::plan_of(&odd).is_err(), "{price}");
    }
    let whole = bbps_npci_xml::message::plan::PlanDetail { amount_in_rupees: "299.0".into(), ..detail };
    assert_eq!(bbps_npci_xml::map::plan::plan_of(&whole).map(|p| p.map(|p| p.amount)), Ok(Some(samples::p(29_900))));
}

#[test]
fn a_list_of_bills_and_the_bills_paid_survive_the_wire() {
    let s = samples::stamp();
    let (o, at) = (samples::ours(), samples::now());
    let fetch = bill::fetch_request(&samples::bill_request(&s.ref_id), &samples::mobile(), &o, &s, at);
    let response = bill::fetch_response(&fetch, Ok(&samples::listed_bill()), &samples::central(), at);
    let text = xml::encode(&Message::BillFetchResponse(response.clone())).unwrap();
    assert!(text.contains(r#"<Tag name="BILL_SELECTION_TYPE" value="MULTIPLE"/>"#), "{text}");
    assert!(text.contains(r#"<Tag name="BILL_2_DUE_DATE" value="2025-12-20"/>"#), "{text}");
    let Message::BillFetchResponse(decoded) =
        xml::decode(bbps_npci_xml::codes::MessageKind::BillFetchResponse, &text).unwrap()
    else {
        panic!("a fetch response")
    };
    assert_eq!(bill::bill_from_fetch(&decoded).unwrap(), samples::listed_bill());

    // The bills paid travel as `Amount/Tag`s `PAID_BILL`, after the fee's parts, and read back in their order;
    // with or without the fee's parts, and with the fetch echoed as received or rebuilt from the bill.
    let pay = samples::listed_pay_request(&s.ref_id);
    let without_gst = bbps_engine::ports::PayRequest {
        convenience_fee: samples::p(0),
        convenience_fee_gst: samples::p(0),
        ..pay.clone()
    };
    let echo = (response.biller_response.clone(), response.additional_info.clone());
    for (req, echo) in [(&pay, None), (&pay, Some(echo)), (&without_gst, None)] {
        let msg = bill::payment_request(req, &o, &s, &samples::txn_ref(&s.ref_id), at, echo);
        let paid: Vec<_> = msg.amount.tags.iter().filter(|t| t.name == "PAID_BILL").map(|t| t.value.as_str()).collect();
        assert_eq!(paid, ["MAH00012345611", "MAH00012345601"]);
        assert_eq!(msg.amount.tags.len(), if req.convenience_fee_gst == samples::p(0) { 2 } else { 4 });
        let text = xml::encode(&Message::BillPaymentRequest(msg.clone())).unwrap();
        let Message::BillPaymentRequest(decoded) =
            xml::decode(bbps_npci_xml::codes::MessageKind::BillPaymentRequest, &text).unwrap()
        else {
            panic!("a payment request")
        };
        let back = bill::payment_request_of(&decoded).unwrap();
        assert_eq!(format!("{back:?}"), format!("{req:?}"));
        // The answer echoes the list, which reads back whole.
        let answer = bill::payment_response(&decoded, Ok(&samples::approval()), &samples::central(), at);
        let echoed = bill::bill_of(&answer.biller_response, answer.additional_info.as_ref()).unwrap();
        assert_eq!(echoed, samples::listed_bill());
    }
    // A payment of a single bill names none.
    let single =
        bill::payment_request(&samples::pay_request(&s.ref_id, true), &o, &s, &samples::txn_ref(&s.ref_id), at, None);
    assert!(!single.amount.tags.iter().any(|t| t.name == "PAID_BILL"));
    assert!(bill::payment_request_of(&single).unwrap().bills.is_empty());
}

#[test]
fn a_message_decodes_from_its_own_text() {
    for message in samples::all() {
        let text = xml::encode(&message).unwrap();
        let screened = xml::screen(text.as_bytes()).unwrap();
        assert_eq!(screened.kind, message.kind());
        assert!(!screened.signed);
        let decoded: Message = xml::decode(screened.kind, &text).unwrap();
        assert_eq!(decoded, message);
    }
}

#[test]
fn a_large_master_data_answer_goes_in_parts_that_read_back_whole() {
    let (head, one, other) = (
        samples::central().head(&samples::stamp().ref_id, samples::now()),
        samples::sample_biller(),
        samples::other_biller(),
    );
    let many: Vec<Biller> =
        (0..biller::BILLERS_PER_PART * 2 + 1).map(|i| if i % 2 == 0 { one.clone() } else { other.clone() }).collect();
    let parts: Vec<_> = biller::parts(&many).map(|(part, chunk)| biller::fetch_response(&head, part, chunk)).collect();
    assert_eq!(parts.len(), 3);
    let read: Vec<biller::Part> = parts.iter().map(|p| biller::Part::of(p).unwrap()).collect();
    assert_eq!(read.iter().map(|p| (p.index, p.count)).collect::<Vec<_>>(), vec![(1, 3), (2, 3), (3, 3)]);
    assert_eq!(parts.iter().map(|p| p.billers.len()).sum::<usize>(), many.len());
    // A catalogue that fits is one unmarked answer, and an empty one is one empty answer.
    let whole: Vec<_> = biller::parts(&many[..2]).collect();
    assert_eq!(whole.len(), 1);
    assert_eq!(biller::fetch_response(&head, whole[0].0, whole[0].1).search_result, None);
    assert_eq!(biller::parts(&[]).map(|(part, chunk)| (part.count, chunk.len())).collect::<Vec<_>>(), vec![(1, 0)]);
    if let Some(xsd) = support::xsd_dir() {
        let text = xml::encode(&Message::BillerFetchResponse(parts[2].clone())).unwrap();
        assert_eq!(support::validate(&xsd, "BillerFetchResponse", &text), Ok(()));
    }
    let mut bad = parts[0].clone();
    for mark in ["0/3", "4/3", "one/three", "3"] {
        bad.search_result = Some(bbps_npci_xml::message::biller::SearchResult { result: mark.into() });
        assert!(biller::Part::of(&bad).is_err(), "{mark}");
    }
}
