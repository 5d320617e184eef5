#!/bin/sh
# Makes the fixtures of `comptoir admin certificates import` (tests/data/2ddoc/README.md): a test
# authority FR97 listed in a small trust list, signing certificates it issued (one expired), one
# issued by a forger in FR97's name. Nothing personal, nothing real. Run from this folder:
# ./make.sh (OpenSSL 3). The authorities' keys are thrown away; the signing keys are kept, for
# the codes the tests sign.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ca() {  # ca NAME ORGANISATION: a self-signed EC authority in $work
    openssl ecparam -name prime256v1 -genkey -noout -out "$work/$1.key"
    openssl req -x509 -new -key "$work/$1.key" -subj "/C=FR/O=$2/CN=FR97" -days 36500 -out "$work/$1.pem" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
}
signing() {  # signing AUTHORITY ID ORGANISATION START END: a signing certificate of AUTHORITY
    openssl ecparam -name prime256v1 -genkey -noout -out "FR97-$2.key"
    openssl req -new -key "FR97-$2.key" -subj "/C=FR/O=$3/CN=$2" -out "$work/$2.csr"
    mkdir -p "$work/db-$2" && : > "$work/db-$2/index" && echo 01 > "$work/db-$2/serial"
    cat > "$work/$2.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/db-$2/index
serial = $work/db-$2/serial
new_certs_dir = $work/db-$2
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
CNF
    openssl ca -batch -config "$work/$2.cnf" -cert "$work/$1.pem" -keyfile "$work/$1.key" -in "$work/$2.csr" \
        -startdate "$4" -enddate "$5" -preserveDN -notext -out "$work/$2.pem" 2>/dev/null
    openssl x509 -in "$work/$2.pem" -out "$work/$2.clean.pem"
}
ca authority "AC IMPORT COMPTOIR"
ca forger "FAUSSAIRE"
signing authority 0001 "CERTIFICAT IMPORT COMPTOIR" 20240101000000Z 21240101000000Z
signing authority 0002 "CERTIFICAT EXPIRE" 20100101000000Z 20150101000000Z
signing forger 0009 "CERTIFICAT FORGE" 20240101000000Z 21240101000000Z
cp "$work/0001.clean.pem" FR97-0001.pem
openssl x509 -in "$work/0002.clean.pem" -outform DER -out FR97-0002.der
cp "$work/0009.clean.pem" FR97-0009.pem
rm -f FR97-0002.key FR97-0009.key
certificate=$(openssl x509 -in "$work/authority.pem" -outform DER | base64 -w0)
cat > tsl_import.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/02231/TSLTag">
	<tsl:SchemeInformation>
		<tsl:TSLVersionIdentifier>5</tsl:TSLVersionIdentifier>
		<tsl:SchemeInformationURI><tsl:URI xml:lang="fr">https://ants.gouv.fr/essais-2d-doc</tsl:URI></tsl:SchemeInformationURI>
		<tsl:ListIssueDateTime>2026-01-01T00:00:00Z</tsl:ListIssueDateTime>
	</tsl:SchemeInformation>
	<tsl:TrustServiceProviderList>
		<tsl:TrustServiceProvider>
			<tsl:TSPInformation>
				<tsl:TSPName><tsl:Name xml:lang="fr">Comptoir (essais d'import)</tsl:Name></tsl:TSPName>
				<tsl:TSPInformationURI><tsl:URI xml:lang="fr">https://ac-essais.example/2d-doc/</tsl:URI></tsl:TSPInformationURI>
			</tsl:TSPInformation>
			<tsl:TSPServices>
				<tsl:TSPService>
					<tsl:ServiceInformation>
						<tsl:ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/PKC</tsl:ServiceTypeIdentifier>
						<tsl:ServiceName><tsl:Name xml:lang="fr">Comptoir FR97 2D-Doc Barcode signature</tsl:Name></tsl:ServiceName>
						<tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>$certificate</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity>
						<tsl:ServiceStatus>http://uri.etsi.org/TrstSvc/Svcstatus/inaccord</tsl:ServiceStatus>
						<tsl:StatusStartingTime>2024-01-01T00:00:00Z</tsl:StatusStartingTime>
					</tsl:ServiceInformation>
				</tsl:TSPService>
			</tsl:TSPServices>
		</tsl:TrustServiceProvider>
	</tsl:TrustServiceProviderList>
</tsl:TrustServiceStatusList>
XML
