#!/usr/bin/env python3
"""Reads back the demo voters' secrets from what the credential authority
produced: passwords from the Maildir (as a voter reads their e-mail), security
keys from the PDF letters (pdftotext, as a voter reads their letter), birth
dates and réassort secrets from the synthetic roll CSV. For demos and tests
only: a real deployment never gathers these in one place.

Usage: demo_credentials.py ROLL.csv DATA_DIR OUT.csv
Writes matricule;nom;prenom;naissance;cle;mot_de_passe;reassort;scrutins
"""
import csv, email, glob, re, subprocess, sys
from email import policy

roll_csv, data, out = sys.argv[1:4]
voters = {}
with open(roll_csv, encoding='utf-8-sig', newline='') as f:
    for row in csv.DictReader(f, delimiter=';'):
        card = re.sub(r'\s', '', row['numero_carte_agent']).upper()
        iban = re.sub(r'\s', '', row['iban']).upper()
        voters[row['matricule']] = dict(row, reassort=card[:6] + iban[-6:])
by_mail = {v['courriel'].lower(): m for m, v in voters.items()}

passwords = {}
for path in sorted(glob.glob(f'{data}/maildir/new/*') + glob.glob(f'{data}/maildir/cur/*')):
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=policy.default)
    body = msg.get_body(preferencelist=('plain',)).get_content()
    found = re.search(r'\b([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})\b', body)
    m = by_mail.get(str(msg['To']).strip().lower())
    if found and m:
        passwords[m] = found.group(1)  # the latest message wins (a reissue)

keys = {}
for pdf in sorted(glob.glob(f'{data}/letters/*.pdf')):
    text = subprocess.run(['pdftotext', '-layout', pdf, '-'], capture_output=True,
                          text=True, check=True).stdout
    for key, m in re.findall(r'([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\s*\n\s*'
                             r'(?:Votre matricule|Your staff number)[^:]*:\s*(\S+)', text):
        keys[m] = key

with open(out, 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, delimiter=';')
    w.writerow(['matricule', 'nom', 'prenom', 'naissance', 'cle', 'mot_de_passe', 'reassort',
                'scrutins'])
    for m, v in voters.items():
        w.writerow([m, v['nom'], v['prenom'], v['date_naissance'], keys.get(m, ''),
                    passwords.get(m, ''), v['reassort'], v['scrutins']])
missing = [m for m in voters if m not in keys or m not in passwords]
if missing:
    sys.exit(f'demo_credentials: no key or password found for {len(missing)} voter(s), e.g. {missing[0]}')
