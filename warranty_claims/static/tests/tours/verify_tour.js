/* Copyright 2026 Installation Suite Authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A visitor scans a warranty code, sees that it is genuine and reports a
// problem through the claim form.
registry.category("web_tour.tours").add("warranty_claims_verify_tour", {
    steps: () => [
        {
            content: "The code is genuine",
            trigger: ".o_warranty_verify .o_warranty_genuine",
        },
        {
            content: "The unit and its coverage are shown",
            trigger: ".o_warranty_verify td:contains('TOUR-SN1')",
        },
        {
            content: "Report a problem",
            trigger: ".o_warranty_claim_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the fault",
            trigger: ".o_warranty_claim select[name='fault_id']",
            run: "selectByLabel Tour fault",
        },
        {
            content: "Describe it",
            trigger: ".o_warranty_claim textarea[name='description']",
            run: "edit No hot water since yesterday",
        },
        {
            content: "Name",
            trigger: ".o_warranty_claim input[name='reporter_name']",
            run: "edit Tour Visitor",
        },
        {
            content: "Phone",
            trigger: ".o_warranty_claim input[name='reporter_phone']",
            run: "edit 13800000000",
        },
        {
            content: "Send the claim",
            trigger: ".o_warranty_claim button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim number is shown",
            trigger: ".o_warranty_claim_done:contains('is recorded')",
        },
    ],
});
