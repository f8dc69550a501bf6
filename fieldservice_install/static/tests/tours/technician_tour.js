/** A technician on a phone: accepts an offer, logs every milestone of the
 * installation (GPS, photos, inspection, serial, the customer's signature)
 * and completes the job. Data: fieldservice_install/tests/test_portal_tour.py.
 */
import {registry} from "@web/core/registry";

const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function fakePosition() {
    // the browser's position: next to the installation site
    Object.defineProperty(navigator.geolocation, "getCurrentPosition", {
        configurable: true,
        value: (success) =>
            success({coords: {latitude: 30.2745, longitude: 120.1552, accuracy: 8}}),
    });
}

function attachPhoto() {
    const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "site.png", {type: "image/png"}));
    document.querySelector(".o_fsm_milestone_form input[name=photos]").files =
        transfer.files;
}

function drawSignature() {
    // the customer draws a stroke with the finger
    const canvas = document.querySelector(
        ".o_fsm_signature canvas.o_web_sign_signature"
    );
    const box = canvas.getBoundingClientRect();
    const pointer = (type, x, y, buttons) =>
        new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            isPrimary: true,
            pointerId: 1,
            pointerType: "touch",
            button: 0,
            buttons,
            clientX: box.left + x,
            clientY: box.top + y,
        });
    canvas.dispatchEvent(pointer("pointerdown", 20, 30, 1));
    for (let step = 1; step <= 12; step++) {
        canvas.dispatchEvent(
            pointer("pointermove", 20 + step * 15, 30 + (step % 3) * 12, 1)
        );
    }
    canvas.dispatchEvent(pointer("pointerup", 200, 40, 0));
}

function logStep(milestone, extraSteps = []) {
    return [
        {
            content: `the next milestone is ${milestone}`,
            trigger: `.o_fsm_next_milestone:contains(${milestone})`,
            run: fakePosition,
        },
        ...extraSteps,
        {
            content: `log ${milestone}`,
            trigger: ".o_fsm_log_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `${milestone} is logged`,
            trigger: `.o_fsm_message:contains(Milestone logged)`,
        },
    ];
}

registry.category("web_tour.tours").add("fieldservice_install_technician_tour", {
    url: "/my/jobs",
    steps: () => [
        {
            content: "the offer is on top of my jobs",
            trigger: ".o_fsm_offer:contains(Water Heater)",
        },
        {
            content: "accept it",
            trigger: ".o_fsm_offer .o_fsm_offer_accept",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the job is mine",
            trigger: ".o_fsm_message:contains(Offer accepted)",
        },
        {
            content: "the address has a map link",
            trigger: ".o_fsm_address a.o_fsm_map_link[href*='openstreetmap']",
        },
        ...logStep("Picked up"),
        ...logStep("Arrived"),
        ...logStep("Goods inspected", [
            {content: "take a photo", trigger: "input[name=photos]", run: attachPhoto},
            {
                content: "goods are fine",
                trigger: "label[for=fsm_inspection_pass]",
                run: "click",
            },
        ]),
        ...logStep("Installed", [
            {
                content: "photo of the unit",
                trigger: "input[name=photos]",
                run: attachPhoto,
            },
            {
                content: "scan the serial",
                trigger: "input.o_fsm_serial",
                run: "edit TOUR-SN-0001",
            },
        ]),
        ...logStep("Customer confirmed", [
            {
                content: "the customer signs",
                trigger: ".o_fsm_signature canvas.o_web_sign_signature",
                run: drawSignature,
            },
            {
                content: "the signature is drawn",
                trigger: ".o_fsm_signature canvas.o_web_sign_signature",
                run: "canvasNotEmpty",
            },
        ]),
        {
            content: "every milestone is logged",
            trigger: ".o_fsm_milestones:contains(5/5)",
        },
        {
            content: "complete the job",
            trigger: ".o_fsm_complete",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the job is done",
            trigger: ".o_fsm_message:contains(Job completed)",
        },
    ],
});
