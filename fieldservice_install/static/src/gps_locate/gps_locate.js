/** @odoo-module **/
// Copyright 2026 Installation Suite Authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// "Use my location": fills the latitude and longitude fields of the record
// from the browser's geolocation (the technician's phone), so GPS evidence is
// captured rather than typed.

import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

import {Component, useState} from "@odoo/owl";

const GEOLOCATION_TIMEOUT_MS = 20000;

export class GpsLocateWidget extends Component {
    static template = "fieldservice_install.GpsLocateWidget";
    static props = {
        ...standardWidgetProps,
        latitudeField: {type: String},
        longitudeField: {type: String},
        string: {type: String, optional: true},
    };

    setup() {
        this.notification = useService("notification");
        this.state = useState({locating: false, accuracy: null});
    }

    get label() {
        return this.props.string || _t("Use my location");
    }

    onClick() {
        if (!navigator.geolocation) {
            this.notification.add(
                _t("This browser cannot share its location: type the coordinates."),
                {type: "warning"}
            );
            return;
        }
        this.state.locating = true;
        navigator.geolocation.getCurrentPosition(
            (position) => this.onPosition(position),
            (error) => this.onError(error),
            {enableHighAccuracy: true, timeout: GEOLOCATION_TIMEOUT_MS, maximumAge: 0}
        );
    }

    async onPosition({coords}) {
        this.state.locating = false;
        this.state.accuracy = Math.round(coords.accuracy);
        await this.props.record.update({
            [this.props.latitudeField]: coords.latitude,
            [this.props.longitudeField]: coords.longitude,
        });
    }

    onError(error) {
        this.state.locating = false;
        const reasons = {
            1: _t(
                "Location access was refused: allow it for this site, or type the coordinates."
            ),
            2: _t("The position could not be determined: type the coordinates."),
            3: _t(
                "Locating took too long: try again outdoors, or type the coordinates."
            ),
        };
        this.notification.add(reasons[error.code] || error.message, {type: "warning"});
    }
}

export const gpsLocateWidget = {
    component: GpsLocateWidget,
    extractProps: ({attrs}) => ({
        latitudeField: attrs.latitude_field || "latitude",
        longitudeField: attrs.longitude_field || "longitude",
        string: attrs.string,
    }),
};

registry.category("view_widgets").add("fsm_gps_locate", gpsLocateWidget);
