"""Jeux de données faits main. Chaque personne est décrite avec ce qu'on attend d'elle ;
les chiffres attendus sont écrits en dur dans les tests (test_*.py)."""

from __future__ import annotations

from .entrepot import Entrepot, mois_suivants

RENNES = "35238"      # 35, région 53, arrondissement 353
SAINT_MALO = "35288"  # 35, région 53, arrondissement 354
DINAN = "22050"       # 22, région 53, arrondissement 221
SAINT_BRIEUC = "22278"  # 22, région 53
VANNES = "56260"      # 56, région 53
MARSEILLE = "13055"   # 13, région 93, arrondissement 133
AJACCIO = "2A004"     # 2A, région 94, arrondissement 2A1
MAMOUDZOU = "97611"   # 976, région 06, sans arrondissement


def scenario_parcours() -> Entrepot:
    """Fichiers CAF de 2023-04 à 2024-08 (mois calculés : 2023-05 à 2024-08).

    Orientations livrées : 35 tous les mois ; 22 jusqu'à 2024-03 (un fichier 2024-06 rejeté) ;
    13 jusqu'à 2024-03 ; 56 jamais. Référentiels de bassins 2023 et 2024 : Saint-Malo est dans
    B_MALO en 2023, puis dans B_RANCE avec Dinan (22) en 2024 ; Rennes reste dans B_RENNES ;
    toute autre commune est dans le bassin HR de son département.
    """
    e = Entrepot()
    tous = ("2023-04", "2024-08")
    e.livrer("rsa", "caf", *mois_suivants(*tous))
    e.livrer("orientations", "35", *mois_suivants(*tous))
    e.livrer("orientations", "22", *mois_suivants("2023-04", "2024-03"))
    e.livrer("orientations", "13", *mois_suivants("2023-04", "2024-03"))
    e.livraison("orientations", "22", "2024-06", statut="rejetee")

    e.bassins(2023, [(RENNES, "B_RENNES", "Rennes"), (SAINT_MALO, "B_MALO", "Saint-Malo"),
                     (DINAN, "B_DINAN", "Dinan"), (MARSEILLE, "B_MARS", "Marseille")])
    # 2024 : Rennes listée deux fois (chevauchement signalé ; la dernière ligne l'emporte).
    e.bassins(2024, [(RENNES, "B_RANCE", "Rance – Émeraude"), (SAINT_MALO, "B_RANCE", "Rance – Émeraude"),
                     (DINAN, "B_RANCE", "Rance – Émeraude"), (MARSEILLE, "B_MARS", "Marseille"),
                     (RENNES, "B_RENNES", "Rennes")])

    # PA1 — cas 3 : dans le stock tout du long, jamais nouvel entrant.
    e.rsa_periode("2023-04", "2024-08", "PA1", RENNES)

    # PA2 — cas 8 : 35 de 2024-01 à 2024-03, orienté par 35 en 2024-02 ; 13 en 2024-04 et
    # 2024-05 ; de retour dans 35 en 2024-06. Entrant : 35@2024-01, 13@2024-04, 35@2024-06.
    e.rsa_periode("2024-01", "2024-03", "PA2", RENNES)
    e.rsa_periode("2024-04", "2024-05", "PA2", MARSEILLE)
    e.rsa_periode("2024-06", "2024-08", "PA2", RENNES)
    e.orientation("35", "2024-02", "PA2", "2024-01-05", "2024-02-10")

    # PA3, PA4, PA5 — cas 4 : orientés le 2023-05-10, suspendus 13, 12 puis 11 mois.
    for personne, fin_suspension, retour in (("PA3", "2024-06", "2024-07"),
                                             ("PA4", "2024-05", "2024-06"),
                                             ("PA5", "2024-04", "2024-05")):
        e.rsa_periode("2023-04", "2023-05", personne, RENNES)
        e.rsa_periode("2023-06", fin_suspension, personne, RENNES, "suspendu")
        e.rsa_periode(retour, "2024-08", personne, RENNES)
        e.orientation("35", "2023-05", personne, "2023-04-20", "2023-05-10")

    # PA6 — cas 5 : orienté en 2023, radié en 2024-02, absent 2024-03 et 2024-04, de retour en 2024-05.
    e.rsa_periode("2023-04", "2024-01", "PA6", RENNES)
    e.rsa("2024-02", "PA6", RENNES, "radie", versable=False)
    e.rsa_periode("2024-05", "2024-08", "PA6", RENNES)
    e.orientation("35", "2023-05", "PA6", "2023-04-15", "2023-05-20")

    # PA7 — cas 6 (suivi clos) : orienté en 2022, radié en 2023-06, de retour en 2024-01,
    # hors droits et devoirs en 2024-02, de nouveau SDD en 2024-03. Entrant : 2024-01 et 2024-03.
    e.rsa_periode("2023-04", "2023-05", "PA7", RENNES)
    e.rsa("2023-06", "PA7", RENNES, "radie", versable=False)
    e.rsa("2024-01", "PA7", RENNES)
    e.rsa("2024-02", "PA7", RENNES, sdd=False)
    e.rsa_periode("2024-03", "2024-08", "PA7", RENNES)
    e.orientation("35", "2023-04", "PA7", "2022-03-01", "2022-03-20")

    # PA8 — cas 6 (suivi ouvert) : notifié et orienté en 2024-01, non versable en 2024-02,
    # de nouveau SDD et versable en 2024-03 : pas nouvel entrant.
    e.rsa_periode("2023-04", "2024-01", "PA8", RENNES)
    e.rsa("2024-02", "PA8", RENNES, versable=False)
    e.rsa_periode("2024-03", "2024-08", "PA8", RENNES)
    e.orientation("35", "2024-01", "PA8", "2024-01-05", "2024-01-25")

    # PA9 — entrant de 56 (qui n'a jamais livré d'orientations) en 2024-03.
    e.rsa_periode("2024-03", "2024-08", "PA9", VANNES)

    # PA10 (22, Dinan) et PA11 (35, Saint-Malo) — entrants de 2024-02, tous deux dans B_RANCE.
    e.rsa_periode("2024-02", "2024-08", "PA10", DINAN)
    e.rsa_periode("2024-02", "2024-08", "PA11", SAINT_MALO)

    # PA12 — entrant de 35 en 2023-05 à Saint-Malo (bassin B_MALO selon le référentiel 2023).
    e.rsa_periode("2023-05", "2023-06", "PA12", SAINT_MALO)
    e.rsa("2023-07", "PA12", SAINT_MALO, "radie", versable=False)

    # PA13 — livraison corrigée : la première livraison CAF de 2024-04 (remplacée) le disait
    # suspendu ; la livraison courante le dit ouvert. Dans le stock tout du long.
    ancienne = e.livraison("rsa", "caf", "2024-04", est_courante=False, recu_le="2024-05-03T08:00:00")
    e.rsa("2024-04", "PA13", RENNES, "suspendu", livraison=ancienne)
    e.rsa_periode("2023-04", "2024-08", "PA13", RENNES)

    # Un dossier d'orientation qu'aucune paire CAF ne rattache.
    e.orientation("35", "2024-03", "INCONNU", "2024-03-01", "2024-03-02")
    return e


def scenario_emploi() -> Entrepot:
    """Fichiers CAF de 2023-12 à 2024-12 (mois calculés : 2024-01 à 2024-12), 35 surtout.

    Livraisons : orientations 35 jusqu'à 2024-10 (13 jamais) ; accompagnements 35 jusqu'à
    2024-06, France Travail jusqu'à 2024-05, 13 jamais ; inscriptions France Travail jusqu'à
    2024-09, reprises d'emploi jusqu'à 2024-10. Référentiel de bassins 2024 : Rennes dans B_RENNES.
    """
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2023-12", "2024-12"))
    e.livrer("orientations", "35", *mois_suivants("2023-12", "2024-10"))
    e.livrer("accompagnements", "35", *mois_suivants("2023-12", "2024-06"))
    e.livrer("accompagnements", "ft", *mois_suivants("2023-12", "2024-05"))
    e.livrer("inscriptions", "ft", *mois_suivants("2023-12", "2024-09"))
    e.livrer("reprises_emploi", "ft", *mois_suivants("2023-12", "2024-10"))
    e.bassins(2024, [(RENNES, "B_RENNES", "Rennes")])

    # Nouveaux entrants de 2024-03 dans 35 (absents de 2024-02).
    for p in ("B1", "B2", "B4", "B5", "B6", "B7"):
        e.rsa_periode("2024-03", "2024-12", p, RENNES)
    e.rsa_periode("2024-03", "2024-12", "B3", RENNES)
    # cas 1 : T0 2024-03-01, orienté le 15 (dans les 15 jours) ou le 16 (hors 15 jours).
    # Livraison corrigée : le premier fichier 35 de 2024-03 (remplacé) datait l'orientation de B1 au 25.
    ancienne = e.livraison("orientations", "35", "2024-03", est_courante=False, recu_le="2024-04-02T08:00:00")
    e.orientation("35", "2024-03", "B1", "2024-03-01", "2024-03-25", livraison=ancienne)
    e.orientation("35", "2024-03", "B1", "2024-03-01", "2024-03-15")
    e.orientation("35", "2024-03", "B2", "2024-03-01", "2024-03-16")
    # cas 9 : notification reçue le 2024-02-20, orienté le 2024-02-27, premier mois SDD 2024-03.
    e.orientation("35", "2024-02", "B3", "2024-02-20", "2024-02-27")
    # cas 10 : T0 2024-03-05 ; en attente dans le fichier de mars, orienté dans celui de septembre
    # (le 2024-09-05 : hors de la fenêtre de 6 mois ; le 2024-09-04 : dedans, 183 jours).
    for p, date_orientation in (("B4", "2024-09-05"), ("B5", "2024-09-04")):
        e.orientation("35", "2024-03", p, "2024-03-05", None)
        e.orientation("35", "2024-09", p, "2024-03-05", date_orientation)
    # B6 : aucun dossier. B7 : dossier d'entrée (T0 2024-03-20) en attente ; un dossier reçu
    # plus tard et orienté ne le remplace pas.
    e.orientation("35", "2024-03", "B7", "2024-03-20", None)
    e.orientation("35", "2024-04", "B7", "2024-04-02", "2024-04-05")

    # cas 2 : nouveaux entrants de 2024-01, T0 2024-01-31, orientés le 2024-02-28 ou le 2024-02-29.
    for p, date_orientation in (("B8", "2024-02-28"), ("B9", "2024-02-29")):
        e.rsa_periode("2024-01", "2024-12", p, RENNES)
        e.orientation("35", "2024-02", p, "2024-01-31", date_orientation)

    # cas 7 : cohorte d'orientation de 2024-01 (dans le stock depuis 2023-12 : pas entrants).
    for p in ("B10", "B11", "B12", "B13", "B14"):
        e.rsa_periode("2023-12", "2024-12", p, RENNES)
    e.orientation("35", "2024-01", "B10", "2023-12-20", "2024-01-10")
    e.inscription("2023-12", "B10", "2023-11-01")
    e.reprise("2024-07", "B10", "2024-07-09", "CDD", 90)        # dans les 6 mois, pas durable
    e.orientation("35", "2024-01", "B11", "2023-12-20", "2024-01-10")
    e.inscription("2024-05", "B11", "2024-05-01")
    e.reprise("2024-07", "B11", "2024-07-10", "CDI")            # pas dans les 6 mois
    e.orientation("35", "2024-01", "B12", "2023-12-20", "2024-01-10")  # jamais inscrit
    e.reprise("2024-02", "B12", "2024-02-01", "CDI")
    e.orientation("35", "2024-01", "B13", "2023-12-20", "2024-01-15")
    e.inscription("2024-01", "B13", "2024-01-20")
    e.reprise("2024-03", "B13", "2024-03-01", "CDD", 200)       # durable
    e.orientation("35", "2024-01", "B14", "2023-12-20", "2024-01-20")
    e.inscription("2023-12", "B14", "2023-06-01")
    e.reprise("2024-02", "B14", "2024-02-01", "CTT")            # durée vide : pas durable
    e.reprise("2024-08", "B14", "2024-08-01", "CREATION")       # après la fenêtre

    # Placement des cohortes sans ligne CAF le mois de l'orientation (2024-02) :
    # B15 → dernière ligne avant (2023-12, Saint-Brieuc, 22) ; B16 → première après (Marseille, 13).
    e.rsa("2023-12", "B15", SAINT_BRIEUC)
    e.rsa_periode("2024-04", "2024-06", "B15", MARSEILLE)
    e.orientation("35", "2024-02", "B15", "2024-01-20", "2024-02-05")
    e.inscription("2024-01", "B15", "2024-01-01")
    e.reprise("2024-03", "B15", "2024-03-01", "CDI")
    e.rsa_periode("2024-05", "2024-06", "B16", MARSEILLE)
    e.orientation("35", "2024-02", "B16", "2024-01-20", "2024-02-10")
    e.inscription("2024-02", "B16", "2024-02-01")

    # cas 11 : 100 personnes SDD et versables dans 35 fin 2024-05 (14 ci-dessus et 86 autres),
    # 30 accompagnées, dont 6 intensivement (une GLOBAL, cinq SUIVI à 15 heures).
    autres = [f"F{i:02d}" for i in range(1, 87)]
    for p in autres:
        e.rsa_periode("2023-12", "2024-12", p, RENNES)
    e.accompagnement("35", "2024-05", "B1", "GLOBAL", "2024-05-01")
    for p in ("B2", "B3", "B4"):
        e.accompagnement("35", "2024-05", p, "SUIVI", "2024-04-01", heures=15)
    for p in ("B10", "B11"):
        e.accompagnement("ft", "2024-05", p, "SUIVI", "2024-04-01", heures=15)
    for p in autres[:20]:
        e.accompagnement("35", "2024-01", p, "SUIVI", "2024-01-01")
    for p in autres[20:23]:
        e.accompagnement("35", "2024-02", p, "RENFORCE", "2024-02-01", heures=14.5)
    e.accompagnement("35", "2024-05", autres[23], "SUIVI", "2024-03-01", "2024-05-31", heures=10)
    # pas en cours au 2024-05-31 : fini la veille, ou commencé le lendemain
    e.accompagnement("35", "2024-05", autres[24], "GLOBAL", "2024-01-01", "2024-05-30")
    e.accompagnement("35", "2024-06", autres[25], "INTENSIF", "2024-06-01")
    # épisode France Travail d'un id_ft inconnu : non rattaché
    e.accompagnement("ft", "2024-05", "INCONNU", "CEJ", "2024-01-01")
    # Dossier non rattaché dans le fichier courant 35 de 2024-03.
    e.orientation("35", "2024-03", "INCONNU", "2024-03-01", "2024-03-02")
    return e


def scenario_substitut() -> Entrepot:
    """Aucun référentiel de bassins : les arrondissements tiennent lieu de bassins.

    Fichiers CAF de 2023-04 à 2024-08, sauf 2023-09, jamais livré (un fichier rejeté seulement).
    Orientations livrées : 35 tous les mois livrés ; 2A et 976 jamais.
    """
    e = Entrepot()
    livres = [m for m in mois_suivants("2023-04", "2024-08") if m != "2023-09"]
    e.livrer("rsa", "caf", *livres)
    e.livraison("rsa", "caf", "2023-09", statut="rejetee")
    e.livrer("orientations", "35", *livres)

    # C1 — cas 4, fichier manquant : orienté le 2023-05-10, suspendu de 2023-06 à 2024-06
    # (13 mois, mais 2023-09 inconnu), de retour en 2024-07 : pas nouvel entrant.
    e.rsa_periode("2023-04", "2023-05", "C1", RENNES)
    for m in mois_suivants("2023-06", "2024-06"):
        if m != "2023-09":
            e.rsa(m, "C1", RENNES, "suspendu")
    e.rsa_periode("2024-07", "2024-08", "C1", RENNES)
    e.orientation("35", "2023-05", "C1", "2023-04-20", "2023-05-10")

    # C2 (Ajaccio, arrondissement 2A1) et C3 (Mamoudzou, sans arrondissement → HR976) :
    # entrants de 2024-02.
    e.rsa_periode("2024-02", "2024-08", "C2", AJACCIO)
    e.rsa_periode("2024-02", "2024-08", "C3", MAMOUDZOU)

    # C4 : absent en 2023-08, SDD en 2023-10 (2023-09 sans fichier) : nouvel entrant en
    # 2023-10 (le critère 2 lit le fichier de 2023-08). C5 : SDD en 2023-08 et 2023-10 : non.
    e.rsa_periode("2023-10", "2023-12", "C4", RENNES)
    e.rsa("2023-08", "C5", RENNES)
    e.rsa_periode("2023-10", "2023-12", "C5", RENNES)
    return e


def scenario_stock() -> Entrepot:
    """Stock droits et devoirs, orientation en cours, inscription à France Travail (pilotage.md,
    cas 1 et 2 en petit). Fichiers CAF de 2023-01 à 2025-04 (mois calculés : 2023-02 à 2025-04).

    Livraisons : orientations 35 jusqu'à 2025-04, 22 jusqu'à 2025-01 ; inscriptions France
    Travail jusqu'à 2025-03. Dans le stock de 35 en 2025-03 : 10 personnes, dont 6 orientées
    (3 FT, 2 CD, 1 ASSO) ; dans celui de 22 : Z1, jamais orienté.
    """
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2023-01", "2025-04"))
    e.livrer("orientations", "35", *mois_suivants("2023-01", "2025-04"))
    e.livrer("orientations", "22", *mois_suivants("2023-01", "2025-01"))
    e.livrer("inscriptions", "ft", *mois_suivants("2023-01", "2025-03"))

    # O1 : orienté FT en 2024-02, contrat signé le 2025-03-31 (dernier jour du mois : compte
    # en 2025-03) ; inscrit à France Travail depuis le 2024-02-10, sans sortie.
    e.rsa_periode("2024-01", "2025-04", "O1", RENNES)
    e.orientation("35", "2024-02", "O1", "2024-01-05", "2024-02-01", signature="2025-03-31")
    e.inscription("2024-02", "O1", "2024-02-10")
    # O2 (homme) : orienté CD (social) en 2024-01, réorienté FT (socio-professionnel) le
    # 2024-09-01 ; les deux sont en cours, l'orientation courante est la plus récente (FT).
    e.rsa_periode("2024-01", "2025-04", "O2", RENNES, sexe="M")
    e.orientation("35", "2024-01", "O2", "2024-01-03", "2024-01-10", organisme="CD", parcours="social")
    e.orientation("35", "2024-09", "O2", "2024-08-20", "2024-09-01", parcours="socio_professionnel")
    # O3 : orienté FT le 2023-03-10, suspendu 11 mois (2023-04 à 2024-02) : pas clos.
    e.rsa_periode("2023-01", "2023-03", "O3", RENNES)
    e.rsa_periode("2023-04", "2024-02", "O3", RENNES, "suspendu")
    e.rsa_periode("2024-03", "2025-04", "O3", RENNES)
    e.orientation("35", "2023-03", "O3", "2023-02-20", "2023-03-10")
    # O4 : orienté CD sans type de parcours (inconnu), contrat signé le 2025-04-01.
    e.rsa_periode("2023-01", "2025-04", "O4", RENNES)
    e.orientation("35", "2024-06", "O4", "2024-06-01", "2024-06-15", organisme="CD", parcours=None,
                  signature="2025-04-01")
    # O5 : orienté CD (social) en 2023.
    e.rsa_periode("2023-01", "2025-04", "O5", RENNES)
    e.orientation("35", "2023-06", "O5", "2023-06-01", "2023-06-20", organisme="CD", parcours="social")
    # O6 : entré en 2025-03, notifié le 2025-03-20 et orienté ASSO le 2025-03-25 (aucune
    # condition sur la date de notification).
    e.rsa_periode("2025-03", "2025-04", "O6", RENNES)
    e.orientation("35", "2025-03", "O6", "2025-03-20", "2025-03-25", organisme="ASSO", parcours="social")
    # W1 : jamais orienté par 35 (un dossier de 22, où il n'a jamais résidé, ne compte pas) ;
    # cas 2 : inscrit le 2024-11-04, sorti le 2025-03-31 : pas inscrit à la fin de 2025-03.
    e.rsa_periode("2024-01", "2025-04", "W1", RENNES)
    e.orientation("22", "2024-05", "W1", "2024-04-01", "2024-04-20")
    e.inscription("2024-11", "W1", "2024-11-04", sortie="2025-03-31")
    # W2 (homme) : notifié le 2025-03-15, orienté FT le 2025-04-02 : en attente en 2025-03,
    # orienté en 2025-04.
    e.rsa_periode("2024-06", "2025-04", "W2", RENNES, sexe="M")
    e.orientation("35", "2025-04", "W2", "2025-03-15", "2025-04-02")
    # R1 (cas 1) : orienté FT par 35 le 2023-05-10, radié en 2024-06 puis revenu : orientation
    # close, en attente depuis 2024-07 ; cas 2 : inscrit le 2024-11-04, sorti le 2025-04-01 :
    # inscrit à la fin de 2025-03.
    e.rsa_periode("2023-01", "2024-05", "R1", RENNES)
    e.rsa("2024-06", "R1", RENNES, "radie", versable=False)
    e.rsa_periode("2024-07", "2025-04", "R1", RENNES)
    e.orientation("35", "2023-05", "R1", "2023-04-15", "2023-05-10")
    e.inscription("2024-11", "R1", "2024-11-04", sortie="2025-04-01")
    # S1 : orienté CD le 2023-03-10, suspendu 12 mois (2023-04 à 2024-03) : orientation close
    # en 2024-03 ; de retour dans le stock en 2024-04, de nouveau en attente.
    e.rsa_periode("2023-01", "2023-03", "S1", RENNES)
    e.rsa_periode("2023-04", "2024-03", "S1", RENNES, "suspendu")
    e.rsa_periode("2024-04", "2025-04", "S1", RENNES)
    e.orientation("35", "2023-03", "S1", "2023-02-20", "2023-03-10", organisme="CD")
    # Z1 : dans le stock de 22 (orientations livrées jusqu'à 2025-01), jamais orienté.
    e.rsa_periode("2024-01", "2025-04", "Z1", DINAN)
    return e


def scenario_rdv() -> Entrepot:
    """Premier rendez-vous d'accompagnement et ventilations du dossier d'entrée (pilotage.md).

    Fichiers CAF de 2024-04 à 2024-06 (mois calculés : 2024-05 et 2024-06). Orientations livrées :
    35 de 2024-04 à 2025-04 (M+10 = 2025-03 pour 2024-05 : taux définitif ; M+12 = 2025-05 :
    délais provisoires) ; 22 de 2024-04 à 2024-06. Tous nouveaux entrants de 2024-05 (absents
    de 2024-04), à Rennes (35) sauf R8 (Dinan, 22).
    """
    e = Entrepot()
    e.livrer("rsa", "caf", *mois_suivants("2024-04", "2024-06"))
    e.livrer("orientations", "35", *mois_suivants("2024-04", "2025-04"))
    e.livrer("orientations", "22", *mois_suivants("2024-04", "2024-06"))

    # Cas 3 : T0 2024-05-02, orienté le 2024-05-10 vers CD. R1 : premier rendez-vous le 2024-06-08
    # (dans les 30 jours : 10 mai + 30 jours = 9 juin), délai 37 j ; né en 1999 : 25 ans → 25_29.
    # R2 : le 2024-06-09, pas dans les 30 jours, délai 38 j ; homme né en 2000 : 24 ans → moins_25.
    e.rsa_periode("2024-05", "2024-06", "R1", RENNES, annee_naissance=1999)
    e.orientation("35", "2024-06", "R1", "2024-05-02", "2024-05-10", organisme="CD", premier_rdv="2024-06-08")
    e.rsa_periode("2024-05", "2024-06", "R2", RENNES, sexe="M", annee_naissance=2000)
    e.orientation("35", "2024-06", "R2", "2024-05-02", "2024-05-10", organisme="CD", premier_rdv="2024-06-09")

    # R3 : deux dossiers d'entrée ex aequo (deux id_rsa, même T0 2024-05-03, même orientation
    # 2024-05-20) : la règle de départage prend CD (2e de la liste) avant ASSO (7e). Le dossier CD
    # a son premier rendez-vous le 2024-06-30 (41 jours après l'orientation ; 58 jours après T0) ;
    # celui d'ASSO l'aurait eu le 2024-05-25.
    e.rsa("2024-05", "R3", RENNES, id_rsa="R-R3-a")
    e.rsa("2024-06", "R3", RENNES, id_rsa="R-R3-b")
    e.orientation("35", "2024-06", "R3", "2024-05-03", "2024-05-20", id_rsa="R-R3-a", organisme="ASSO",
                  premier_rdv="2024-05-25")
    e.orientation("35", "2024-06", "R3", "2024-05-03", "2024-05-20", id_rsa="R-R3-b", organisme="CD",
                  premier_rdv="2024-06-30")

    # R4 : sexe et année de naissance inconnus, aucun dossier (non_oriente).
    e.rsa_periode("2024-05", "2024-06", "R4", RENNES, sexe=None, annee_naissance=None)
    # R5 : né en 2030 (âge négatif → moins_25) ; dossier sans date d'orientation, premier
    # rendez-vous le 2024-05-20 : hors du taux, dans les délais du premier rendez-vous (14 j).
    e.rsa_periode("2024-05", "2024-06", "R5", RENNES, sexe="M", annee_naissance=2030)
    e.orientation("35", "2024-05", "R5", "2024-05-06", None, premier_rdv="2024-05-20")
    # R6 : orienté le 2024-05-15 sans organisme référent (inconnu), premier rendez-vous à
    # T0 + 9 mois exactement (2025-02-02) : hors des délais. R7 : orienté le 2024-06-20 vers FT,
    # premier rendez-vous la veille de T0 + 9 mois (2025-02-01) : dedans, 275 jours.
    e.rsa_periode("2024-05", "2024-06", "R6", RENNES)
    e.orientation("35", "2025-02", "R6", "2024-05-02", "2024-05-15", organisme=None, premier_rdv="2025-02-02")
    e.rsa_periode("2024-05", "2024-06", "R7", RENNES)
    e.orientation("35", "2025-02", "R7", "2024-05-02", "2024-06-20", organisme="FT", premier_rdv="2025-02-01")

    # R8 : nouvel entrant de 22 (orientations livrées jusqu'à 2024-06 seulement : provisoire),
    # homme né en 1980, T0 2024-05-10, orienté le 2024-05-12 vers FT, rendez-vous le 2024-05-20 (10 j).
    e.rsa_periode("2024-05", "2024-06", "R8", DINAN, sexe="M")
    e.orientation("22", "2024-05", "R8", "2024-05-10", "2024-05-12", organisme="FT", premier_rdv="2024-05-20")
    return e
