"""The invitation pack's HTML (a Jinja template kept in code, so it ships with the
package without package-data)."""

PACK_TEMPLATE = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Innkalling: {{ m.title }}</title>
<style>
  @page { size: A4; margin: 20mm 18mm 22mm;
          @bottom-right { content: "Side " counter(page) " av " counter(pages); font-size: 9pt; } }
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4;
         color: #111; max-width: 48rem; margin: 2rem auto; }
  h1 { font-size: 17pt; margin: 0 0 .2rem; }
  h2 { font-size: 12.5pt; margin: 1.4rem 0 .3rem; border-bottom: 1px solid #999; }
  h3 { font-size: 11pt; margin: .8rem 0 .2rem; }
  .meta { color: #333; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
  .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
  .case { page-break-inside: avoid; margin-bottom: 1rem; }
  .label { white-space: nowrap; font-weight: bold; }
  .muted { color: #555; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
                 .case { break-inside: avoid; } }
</style>
</head>
<body>
<header>
  <p class="muted">{{ pack.body_name }}</p>
  <h1>Innkalling: {{ m.title }}</h1>
  <p class="meta">
    Tid: {{ m.starts_at.strftime("%d.%m.%Y kl. %H:%M") }}{% if m.ends_at %}–{{ m.ends_at.strftime("%d.%m.%Y %H:%M") if m.ends_at.date() != m.starts_at.date() else m.ends_at.strftime("%H:%M") }}{% endif %}<br>
    Sted: {{ m.place }}{% if m.digital %} (digitalt){% endif %}<br>
    Status: {{ m.status }}{% if m.invitation_sent_at %}, innkalling sendt {{ m.invitation_sent_at.strftime("%d.%m.%Y") }}{% endif %}
  </p>
</header>

<h2>Saksliste</h2>
<table>
  <thead><tr><th>Nr.</th><th>Sak</th><th>Vedlegg</th></tr></thead>
  <tbody>
  {% for item in pack.items %}
    <tr>
      <td class="label">{{ item.label }}</td>
      <td>{{ item.title }}{% if item.case %} <span class="muted">({{ item.case.reference }})</span>{% endif %}</td>
      <td>{% for a in item.attachments %}{{ a.title }}{% if not loop.last %}; {% endif %}{% else %}<span class="muted">–</span>{% endfor %}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>

{% if pack.invitees %}
<h2>Inviterte i tillegg</h2>
<ul>{% for i in pack.invitees %}<li>{{ i }}</li>{% endfor %}</ul>
{% endif %}

{% set cases = pack.items | selectattr("case") | list %}
{% if cases %}
<h2>Saksframlegg</h2>
{% for item in cases %}
<section class="case">
  <h3>{{ item.label }} {{ item.title }} <span class="muted">({{ item.case.reference }})</span></h3>
  {% set doc = item.case.document %}
  {% if doc %}
    {% if doc.background %}<p><strong>Bakgrunn.</strong> {{ doc.background }}</p>{% endif %}
    {% if doc.assessment %}<p><strong>Vurdering.</strong> {{ doc.assessment }}</p>{% endif %}
    {% if doc.political_involvement %}<p><strong>Politisk involvering.</strong> {{ doc.political_involvement }}</p>{% endif %}
    {% if doc.proposed_resolution %}<p><strong>Forslag til vedtak.</strong> {{ doc.proposed_resolution }}</p>{% endif %}
  {% else %}
    <p class="muted">Saksframlegg er ikke skrevet ennå.</p>
  {% endif %}
  {% if item.case.advice_summary %}<p><strong>KGs råd.</strong> {{ item.case.advice_summary }}</p>{% endif %}
  {% if item.case.advice_waived %}<p><strong>KG-råd frafalt.</strong> {{ item.case.advice_waived }}</p>{% endif %}
</section>
{% endfor %}
{% endif %}

<h2>Vedlegg</h2>
{% if m.attachments %}
<table>
  <thead><tr><th>Vedlegg</th><th>Type</th><th>Størrelse</th><th>SHA-256</th></tr></thead>
  <tbody>
  {% for a in m.attachments %}
    <tr>
      <td>{% if attachment_url %}<a href="{{ attachment_url(a.sha256) }}">{{ a.title }}</a>{% else %}{{ a.title }}{% endif %}<br>
          <span class="muted">{{ a.filename }} · {{ a.kind | kind }}{% if a.item_number %} · til sak nr. {{ a.item_number }}{% endif %}</span></td>
      <td>{{ a.media_type }}</td>
      <td>{{ a.size | size }}</td>
      <td class="hash">{{ a.sha256 }}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
{% else %}
<p class="muted">Ingen vedlegg.</p>
{% endif %}

<footer><p class="muted">Laget {{ pack.generated_at.strftime("%d.%m.%Y %H:%M") }} UTC av Caseflow.
Kontroller et vedlegg med <code>sha256sum</code>: summen skal være lik den som står over.</p></footer>
</body>
</html>
"""  # noqa: E501
