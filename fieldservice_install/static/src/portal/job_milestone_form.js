/** Technician portal: the milestone form of a job.
 *
 * Fills the latitude / longitude of the form from the browser's geolocation
 * (on load and with "Locate me"); a milestone that requires the position
 * waits for it before the form is sent. Photos larger than the limit are
 * refused before they are uploaded (the server checks again). Other widgets
 * of the form (the signature) fill their inputs on the "fsm:collect" event.
 */
import {Interaction} from "@web/public/interaction";
import {registry} from "@web/core/registry";

export class JobMilestoneForm extends Interaction {
    static selector = ".o_fsm_milestone_form";
    dynamicContent = {
        ".o_fsm_gps_locate": {"t-on-click.prevent": this.onLocateClick},
        _root: {"t-on-submit": this.onSubmit},
    };

    setup() {
        this.latInput = this.el.querySelector("input[name=latitude]");
        this.lonInput = this.el.querySelector("input[name=longitude]");
        this.statusEl = this.el.querySelector(".o_fsm_gps_status");
        this.gpsRequired = !!this.el.dataset.gpsRequired;
        this.maxBytes = parseInt(this.el.dataset.maxBytes || "0", 10);
        this.submitting = false;
    }

    start() {
        this.locate();
    }

    message(name, arg) {
        const el = this.el.querySelector(`.o_fsm_${name}`);
        const text = el ? el.textContent : "";
        return arg === undefined ? text : text.replace("%s", arg);
    }

    setStatus(text, cls) {
        if (this.statusEl) {
            this.statusEl.textContent = text;
            this.statusEl.className = `o_fsm_gps_status ${cls}`;
        }
    }

    locate() {
        return new Promise((resolve) => {
            if (!navigator.geolocation) {
                this.setStatus(this.message("gps_msg_denied"), "text-danger");
                resolve(false);
                return;
            }
            this.setStatus(this.message("gps_msg_waiting"), "text-muted");
            navigator.geolocation.getCurrentPosition(
                (position) => {
                    const {latitude, longitude, accuracy} = position.coords;
                    this.latInput.value = latitude.toFixed(7);
                    this.lonInput.value = longitude.toFixed(7);
                    this.setStatus(
                        this.message("gps_msg_found", Math.round(accuracy || 0)),
                        "text-success"
                    );
                    resolve(true);
                },
                () => {
                    this.setStatus(this.message("gps_msg_denied"), "text-danger");
                    resolve(false);
                },
                {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000}
            );
        });
    }

    onLocateClick() {
        this.locate();
    }

    hasPosition() {
        return !!(this.latInput.value && this.lonInput.value);
    }

    tooBigPhoto() {
        const input = this.el.querySelector("input[name=photos]");
        if (!input || !this.maxBytes) {
            return null;
        }
        return [...input.files].find((file) => file.size > this.maxBytes) || null;
    }

    async onSubmit(ev) {
        if (this.submitting) {
            return;
        }
        ev.preventDefault();
        const big = this.tooBigPhoto();
        if (big) {
            this.setStatus(this.message("photo_msg_too_big", big.name), "text-danger");
            return;
        }
        if (this.gpsRequired && !this.hasPosition()) {
            const found = await this.waitFor(this.locate());
            if (!found) {
                return;
            }
        }
        this.el.dispatchEvent(new CustomEvent("fsm:collect"));
        this.submitting = true;
        this.el.querySelector(".o_fsm_log_submit")?.setAttribute("disabled", "1");
        this.el.submit();
    }
}

registry
    .category("public.interactions")
    .add("fieldservice_install.job_milestone_form", JobMilestoneForm);
