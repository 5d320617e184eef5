// The SANE library for the process, its devices, and the French message of each SANE status.
#include "comptoir/scanners.hpp"

#include "sane_calls.hpp"

#include <sane/sane.h>

#include <cstdlib>

namespace comptoir::scanners {

ScanError error_for_status(int sane_status, const std::string& device_name) {
    const std::string device = quote(device_name);
    switch (sane_status) {
    case SANE_STATUS_JAMMED:
        return ScanError("jammed", "Le papier est coincé dans le scanner. Ouvrez-le, retirez la feuille, puis relancez.");
    case SANE_STATUS_NO_DOCS:
        return ScanError("no_documents", "Aucune feuille dans le chargeur. Posez le document, puis relancez.");
    case SANE_STATUS_COVER_OPEN:
        return ScanError("cover_open", "Le capot du scanner est ouvert. Fermez-le, puis relancez.");
    case SANE_STATUS_DEVICE_BUSY:
        return ScanError("device_busy", "Le scanner est occupé par une autre numérisation. Patientez un instant, puis relancez.");
    case SANE_STATUS_IO_ERROR:
        return ScanError("io_error", "Le scanner ne répond plus. Vérifiez qu'il est allumé et branché, puis relancez.");
    case SANE_STATUS_ACCESS_DENIED:
        return ScanError("access_denied", "L'accès au scanner " + device + " est refusé. Prévenez l'administrateur du site.");
    case SANE_STATUS_NO_MEM:
        return ScanError("no_memory", "Le scanner manque de mémoire : baissez la résolution ou numérisez moins de pages.");
    case SANE_STATUS_CANCELLED:
        return ScanError("cancelled", "Numérisation annulée.");
    case SANE_STATUS_INVAL:
        return ScanError("invalid_option", "Le scanner " + device + " refuse ce réglage.");
    case SANE_STATUS_UNSUPPORTED:
        return ScanError("unsupported", "Le scanner " + device + " ne sait pas faire cela.");
    case 12:  // SANE_STATUS_WARMING_UP (SANE 1.1, not exposed by every sane.h)
        return ScanError("device_busy", "Le scanner chauffe. Patientez quelques secondes, puis relancez.");
    case 13:  // SANE_STATUS_HW_LOCKED
        return ScanError("io_error", "Le scanner est verrouillé pour le transport. Déverrouillez-le, puis relancez.");
    default:
        return ScanError("io_error", "Erreur du scanner " + device + " (" + sane_strstatus(static_cast<SANE_Status>(sane_status)) + ").");
    }
}

// ---- the library ------------------------------------------------------------------------

Sane::Sane(const std::string& config_dir) {
    // The dll backend reads SANE_CONFIG_DIR during sane_init, not before: setting it here is
    // in time.
    if (!config_dir.empty()) setenv("SANE_CONFIG_DIR", config_dir.c_str(), 1);
    SANE_Int version = 0;
    if (sane_init(&version, nullptr) != SANE_STATUS_GOOD) {
        throw ScanError("io_error", "La bibliothèque des scanners (SANE) n'a pas pu démarrer.");
    }
    version_ = version;
}

Sane::~Sane() {
    // After a device hung, sane_exit would wait on it; the process is ending anyway.
    if (!g_abandoned_handle) sane_exit();
}

std::vector<DeviceInfo> Sane::devices(bool refresh) {
    std::lock_guard<std::mutex> lock(mutex_);
    SANE_LOCKED;
    if (cache_ && !refresh) return *cache_;
    const SANE_Device** list = nullptr;
    std::vector<DeviceInfo> devices;
    if (sane_get_devices(&list, SANE_FALSE) == SANE_STATUS_GOOD && list) {
        for (size_t i = 0; list[i]; ++i) {
            devices.push_back({list[i]->name ? list[i]->name : "", list[i]->vendor ? list[i]->vendor : "",
                               list[i]->model ? list[i]->model : "", list[i]->type ? list[i]->type : ""});
        }
    }
    cache_ = devices;
    return devices;
}

}  // namespace comptoir::scanners
