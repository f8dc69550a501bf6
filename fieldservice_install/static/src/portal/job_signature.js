/** Technician portal: the customer signs on the technician's phone.
 *
 * Odoo's name-and-signature widget inside the milestone form; the image and
 * the name go into the form's hidden "signature" / "signed_by" inputs when
 * the form is sent, with its CSRF token, like every other field.
 */
import {Component, onMounted, onWillUnmount, useRef, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {NameAndSignature} from "@web/core/signature/name_and_signature";

export class JobSignature extends Component {
    static template = "fieldservice_install.JobSignature";
    static components = {NameAndSignature};
    static props = ["*"];

    setup() {
        this.rootRef = useRef("root");
        this.signature = useState({
            name: this.props.defaultName || "",
            getSignatureImage: () => "",
            resetSignature: () => {},
            isSignatureEmpty: true,
        });
        this.collect = () => this.fill();
        onMounted(() => {
            this.form = this.rootRef.el.closest("form");
            this.form?.addEventListener("fsm:collect", this.collect);
        });
        onWillUnmount(() =>
            this.form?.removeEventListener("fsm:collect", this.collect)
        );
    }

    fill() {
        if (!this.form) {
            return;
        }
        const empty = this.signature.isSignatureEmpty;
        const image = empty ? "" : this.signature.getSignatureImage() || "";
        this.form.querySelector("input[name=signature]").value =
            image.split(",")[1] || "";
        this.form.querySelector("input[name=signed_by]").value =
            this.signature.name || "";
    }
}

registry
    .category("public_components")
    .add("fieldservice_install.job_signature", JobSignature);
