"""The invitation pack's HTML (a Jinja template kept in code, so it ships with the
package without package-data). No inline ``style`` attribute: the stylesheet is
``web/static/pack.css``, linked (``css_href``) or inlined for the PDF and the ZIP."""

PACK_TEMPLATE = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>Innkalling: {{ m.title }}</title>
{% if css_href %}<link rel="stylesheet" href="{{ css_href }}">{% else %}<style>{{ css|safe }}</style>{% endif %}
</head>
<body>
<header>
  <p class="muted">{{ pack.body_name }}</p>
  <h1>Innkalling: {{ m.title }}</h1>
  <p class="meta">
    Tid: {{ m.starts_at|local }}{% if m.ends_at %}–{{ m.ends_at|local("%H:%M") if same_day else m.ends_at|local }}{% endif %}<br>
    Sted: {{ m.place }}{% if m.digital %} (digitalt){% endif %}<br>
    Status: {{ m.status|status }}{% if m.invitation_sent_at %}, innkalling sendt {{ m.invitation_sent_at|local("%d.%m.%Y") }}{% endif %}
  </p>
</header>

<h2>Saksliste</h2>
<table>
  <thead><tr><th>Nr.</th><th>Sak</th><th>Dokumenter</th></tr></thead>
  <tbody>
  {% for item in pack.items %}
    <tr>
      <td class="label">{{ item.label }}</td>
      <td>{{ item.title }}{% if item.case %} <span class="muted">({{ item.case.reference }})</span>{% endif %}{% for mark in item.marks %} <span class="mark">{{ mark }}</span>{% endfor %}</td>
      <td>{% for f in item.files %}{{ f.title }}{% if not loop.last %}; {% endif %}{% else %}<span class="muted">–</span>{% endfor %}</td>
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
  <h3>{{ item.label }} {{ item.title }} <span class="muted">({{ item.case.reference }})</span>{% for mark in item.marks %} <span class="mark">{{ mark }}</span>{% endfor %}</h3>
  {% set doc = item.case.document %}
  {% if doc %}
    {% if doc.background %}<p><strong>Bakgrunn.</strong> {{ doc.background }}</p>{% endif %}
    {% if doc.assessment %}<p><strong>Vurdering.</strong> {{ doc.assessment }}</p>{% endif %}
    {% if doc.political_involvement %}<p><strong>Politisk involvering.</strong> {{ doc.political_involvement }}</p>{% endif %}
    {% if doc.proposed_resolution %}<p><strong>Forslag til vedtak.</strong> {{ doc.proposed_resolution }}</p>{% endif %}
  {% elif not item.files %}
    <p class="muted">Saksframlegg er ikke skrevet ennå.</p>
  {% endif %}
  {% if item.case.advice_summary %}<p><strong>KGs råd.</strong> {{ item.case.advice_summary }}</p>{% endif %}
  {% if item.case.advice_waived %}<p><strong>KG-råd frafalt.</strong> {{ item.case.advice_waived }}</p>{% endif %}
  {% if item.files %}
  <p><strong>Dokumenter.</strong></p>
  <ul class="files">
  {% for f in item.files %}
    <li>{% if document_url and f.document_id %}<a href="{{ document_url(f) }}">{{ f.title }}</a>{% else %}{{ f.title }}{% endif %}
      <span class="muted">({{ f.kind|kind }}{% if f.version > 1 %}, versjon {{ f.version }}{% endif %}{% if f.screened %}, skjermet{% if f.legal_basis %} etter {{ f.legal_basis }}{% endif %}{% endif %}; {{ f.media_type|filetype }}, {{ f.size|size }}; {% if f.is_pdf %}følger bak i PDF-en{% else %}i ZIP-filen{% endif %})</span><br>
      <span class="hash">SHA-256 {{ f.sha256 }}</span></li>
  {% endfor %}
  </ul>
  {% endif %}
</section>
{% endfor %}
{% endif %}

<h2>Vedlegg og dokumenter</h2>
{% set files = pack.all_files() %}
{% if files %}
<table>
  <thead><tr><th>Dokument</th><th>Type</th><th>Størrelse</th><th>SHA-256</th></tr></thead>
  <tbody>
  {% for item, f in files %}
    <tr>
      <td>{% if document_url and f.document_id %}<a href="{{ document_url(f) }}">{{ f.title }}</a>{% elif attachment_url and not f.document_id %}<a href="{{ attachment_url(f.sha256) }}">{{ f.title }}</a>{% else %}{{ f.title }}{% endif %}<br>
          <span class="muted">{{ f.filename }} · {{ f.kind|kind }}{% if item %} · {{ item.label }}{% endif %}</span></td>
      <td>{{ f.media_type|filetype }}</td>
      <td>{{ f.size|size }}</td>
      <td class="hash">{{ f.sha256 }}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
<p class="muted">PDF-filene følger bak i PDF-utgaven, med et bokmerke per sak; alle filene ligger i ZIP-filen.</p>
{% else %}
<p class="muted">Ingen vedlegg.</p>
{% endif %}

<footer><p class="muted">Laget {{ pack.generated_at|local }} ({{ zone }}) av Caseflow.
Kontroller et vedlegg med <code>sha256sum</code>: summen skal være lik den som står over.</p></footer>
</body>
</html>
"""  # noqa: E501
