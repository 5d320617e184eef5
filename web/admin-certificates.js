// The administrator's page, the 2D-Doc certificates: those the site knows (the shipped test one,
// the site's folder) with what the trust list says of each, and those codes read since the
// server started needed and the site lacks — authority and certificate only, never anything of
// the document — with where to fetch them and the command that imports them.
"use strict";

function link(uri) {
  const a = element("a", { href: uri, rel: "noopener noreferrer" }, uri);
  return a;
}

async function loadCertificates() {
  say("erreur-certificats", "");
  try {
    const data = await call("GET", "/admin/certificates");
    $("certificats-dossier").textContent = `Dossier des certificats du site : ${data.folder || "aucun"}.`;
    const rows = $("liste-certificats");
    rows.replaceChildren();
    for (const c of data.certificates) {
      const trust = c.test ? "certificat de test (FR00) : ses codes sont dits codes de test"
        : c.vouched ? "✔ reconnu" : `⚠ non reconnu : ${c.problem}`;
      const row = element("tr");
      row.append(cell(`${c.authority}/${c.id}`), cell(c.subject), cell(c.not_after + (c.expired ? " (expiré)" : "")), cell(trust));
      rows.append(row);
    }
    const missing = $("liste-certificats-manquants");
    missing.replaceChildren();
    for (const m of data.missing) {
      const where = element("td");
      m.where.forEach((uri, i) => {
        if (i) where.append(document.createTextNode(" ; "));
        where.append(link(uri));
      });
      const name = `${m.authority}/${m.certificate}` + (m.authority_name ? ` (${m.authority_name})` : "") +
        (m.listed ? "" : " — autorité absente de la liste de confiance");
      const row = element("tr");
      row.append(cell(name), cell(m.codes), cell(dateTime(m.last_seen)), where);
      missing.append(row);
    }
    show("certificats-manquants", data.missing.length > 0);
    show("certificats-manquants-aucun", data.missing.length === 0);
    const help = $("certificats-import");
    help.replaceChildren(
      document.createTextNode("L'ANTS publie les autorités et leurs adresses dans sa liste de confiance ("),
      link(data.trust_list.information_uri),
      document.createTextNode(`). Un certificat téléchargé (PEM ou DER) s'importe sur le serveur par : `),
      element("code", {}, data.import_command),
      document.createTextNode(" — le serveur le prend en compte sans redémarrer."));
  } catch (e) {
    say("erreur-certificats", e.message);
  }
}
