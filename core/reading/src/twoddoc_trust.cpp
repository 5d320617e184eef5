// The ANTS trust list of 2D-Doc certification authorities (an ETSI TS 119 612 XML): each
// authority's id, status, certificate and web addresses (kept apart from twoddoc.cpp for its
// length; the fuzz target builds both).
#include "comptoir/reading/twoddoc.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Base64Decoder.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace comptoir::twoddoc {

// ---- The trust list ----------------------------------------------------------------------

namespace {

constexpr const char* kTslNamespace = "http://uri.etsi.org/02231/v2#";

std::string text_of(Poco::XML::Node* node) { return node ? Poco::trim(node->innerText()) : std::string(); }

// The first element named `name` (trust-list namespace) under `parent`, or null.
Poco::XML::Element* first(Poco::XML::Element* parent, const std::string& name) {
    if (!parent) return nullptr;
    Poco::AutoPtr<Poco::XML::NodeList> list = parent->getElementsByTagNameNS(kTslNamespace, name);
    return list->length() > 0 ? static_cast<Poco::XML::Element*>(list->item(0)) : nullptr;
}

// "FR01" out of "IDnow SAS FR01 2D-Doc Barcode signature".
std::string authority_id(const std::string& name) {
    for (size_t i = 0; i + 4 <= name.size(); ++i) {
        if (std::isupper(static_cast<unsigned char>(name[i])) && std::isupper(static_cast<unsigned char>(name[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(name[i + 2])) && std::isdigit(static_cast<unsigned char>(name[i + 3])) &&
            (i == 0 || name[i - 1] == ' ') && (i + 4 == name.size() || name[i + 4] == ' ')) {
            return name.substr(i, 4);
        }
    }
    return {};
}

// The http(s) addresses of the URI elements under `parent` (mailto: and the like left out),
// each once, in their order.
std::vector<std::string> web_uris(Poco::XML::Element* parent) {
    std::vector<std::string> out;
    if (!parent) return out;
    Poco::AutoPtr<Poco::XML::NodeList> list = parent->getElementsByTagNameNS(kTslNamespace, "URI");
    for (unsigned long i = 0; i < list->length(); ++i) {
        const std::string uri = text_of(list->item(i));
        if ((Poco::startsWith(uri, std::string("https://")) || Poco::startsWith(uri, std::string("http://"))) &&
            std::find(out.begin(), out.end(), uri) == out.end()) {
            out.push_back(uri);
        }
    }
    return out;
}

}  // namespace

TrustList TrustList::from_xml(const std::string& xml) {
    Poco::AutoPtr<Poco::XML::Document> document;
    try {
        Poco::XML::DOMParser parser;
        parser.setFeature(Poco::XML::DOMParser::FEATURE_FILTER_WHITESPACE, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        // A trust list comes from outside: an entity it declares is never fetched (Poco's
        // default, said here so that no change of default or of parser can turn it on).
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        document = parser.parseString(xml);
    } catch (const Poco::Exception& error) {
        throw MalformedError("liste de confiance 2D-Doc illisible (XML invalide)");
    }
    Poco::XML::Element* root = document ? document->documentElement() : nullptr;
    if (!root || root->localName() != "TrustServiceStatusList" || root->namespaceURI() != kTslNamespace) {
        throw MalformedError("ce fichier n'est pas une liste de confiance (TrustServiceStatusList attendu)");
    }
    TrustList list;
    list.issued_ = text_of(first(root, "ListIssueDateTime"));
    const auto scheme_uris = web_uris(first(root, "SchemeInformationURI"));
    if (!scheme_uris.empty()) list.information_uri_ = scheme_uris.front();
    Poco::AutoPtr<Poco::XML::NodeList> services = root->getElementsByTagNameNS(kTslNamespace, "TSPService");
    for (unsigned long i = 0; i < services->length(); ++i) {
        auto* service = static_cast<Poco::XML::Element*>(services->item(i));
        Authority authority;
        authority.name = text_of(first(first(service, "ServiceName"), "Name"));
        authority.id = authority_id(authority.name);
        const std::string status = text_of(first(service, "ServiceStatus"));
        authority.active = Poco::endsWith(status, std::string("/inaccord")) || Poco::endsWith(status, std::string("/granted"));
        std::istringstream encoded(text_of(first(first(service, "ServiceDigitalIdentity"), "X509Certificate")));
        Poco::Base64Decoder decoder(encoded);
        authority.certificate_der.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
        if (authority.id.empty() || authority.certificate_der.empty()) continue;  // not a 2D-Doc authority
        // TSPService < TSPServices < TrustServiceProvider, whose TSPInformation names its addresses.
        Poco::XML::Node* services_node = service->parentNode();
        auto* provider = services_node ? dynamic_cast<Poco::XML::Element*>(services_node->parentNode()) : nullptr;
        authority.uris = web_uris(first(first(provider, "TSPInformation"), "TSPInformationURI"));
        list.authorities_.push_back(std::move(authority));
    }
    return list;
}

TrustList TrustList::from_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw MalformedError("liste de confiance 2D-Doc introuvable : " + path);
    std::ostringstream content;
    content << in.rdbuf();
    return from_xml(content.str());
}

const Authority* TrustList::find(const std::string& id) const {
    for (const auto& authority : authorities_) {
        if (authority.id == id) return &authority;
    }
    return nullptr;
}

}  // namespace comptoir::twoddoc
