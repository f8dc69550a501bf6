/* Copyright 2026 Installation Suite Authors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A customer opens the tracking link of a completed installation, reads the
// timeline and rates the technician.
registry.category("web_tour.tours").add("fieldservice_install_customer_tour", {
    steps: () => [
        {
            content: "The timeline shows the steps done",
            trigger: ".o_fsm_install_timeline li.o_step_done:contains('Completed')",
        },
        {
            content: "The technician and his rating are shown",
            trigger: ".o_fsm_install_technician:contains('Tour Technician')",
        },
        {
            content: "Give five stars",
            trigger: ".o_fsm_install_rate label[for='rate_5']",
            run: "click",
        },
        {
            content: "Write a comment",
            trigger: ".o_fsm_install_rate textarea[name='comment']",
            run: "edit Clean and quick work",
        },
        {
            content: "Send the rating",
            trigger: ".o_fsm_install_rate button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanks are shown",
            trigger: ".o_fsm_install_rating .alert-success:contains('Thank you')",
        },
        {
            content: "Back to the tracking page",
            trigger: ".o_fsm_install_rating a[href^='/install/track/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is on the tracking page",
            trigger: ".o_fsm_install_rate:contains('Thank you for your rating')",
        },
    ],
});
