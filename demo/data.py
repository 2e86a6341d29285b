"""What the demo holds, as data: the accounts, agencies, proposals, the ranking rules and
priorities of Lampung Tengah, and the forums already held. demo/load.py loads it."""

from accounts.models import Role

PASSWORD = "musrenbang"

KABUPATEN = "18.02"  # Kabupaten Lampung Tengah

# Perangkat daerah of Lampung Tengah, with the sector each mainly carries out.
AGENCIES = [
    ("1.01.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", "1.01"),
    ("1.02.01", "Dinas Kesehatan", "Dinkes", "1.02"),
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", "1.03"),
    ("1.04.01", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", "1.04"),
    ("1.06.01", "Dinas Sosial", "Dinsos", "1.06"),
    ("2.11.01", "Dinas Lingkungan Hidup", "DLH", "2.11"),
    ("2.13.01", "Dinas Pemberdayaan Masyarakat dan Kampung", "DPMK", "2.13"),
    ("2.15.01", "Dinas Perhubungan", "Dishub", "2.15"),
    ("2.17.01", "Dinas Koperasi dan Usaha Kecil Menengah", "Dinas Koperasi UKM", "2.17"),
    ("3.25.01", "Dinas Perikanan", "Diskan", "3.25"),
    ("3.27.01", "Dinas Tanaman Pangan dan Hortikultura", "Distanhorti", "3.27"),
    ("5.01.01", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "1.03"),
]

# The demo DPRD member's seat: electoral district and faction.
COUNCIL_SEATS = {"dprd.lamteng": ("Dapil 3 Lampung Tengah (Kalirejo, Bangun Rejo)", "Fraksi Gotong Royong")}

ACCOUNTS = [
    # username, first name, last name, role, region code or agency code
    ("desa.kalirejo", "Sri", "Wahyuni", Role.VILLAGE_OPERATOR, "18.02.01.2003"),
    ("desa.srilangsep", "Agus", "Setiawan", Role.VILLAGE_OPERATOR, "18.02.01.2001"),
    ("desa.purwodadi", "Made", "Suarta", Role.VILLAGE_OPERATOR, "18.02.02.2001"),
    ("kec.kalirejo", "Rudi", "Hartono", Role.KECAMATAN_OPERATOR, "18.02.01"),
    ("kec.bangunrejo", "Nurhayati", "", Role.KECAMATAN_OPERATOR, "18.02.02"),
    ("opd.pupr", "Bambang", "Sutrisno", Role.AGENCY_OFFICER, "1.03.01"),
    ("opd.dinkes", "Ratna", "Sari", Role.AGENCY_OFFICER, "1.02.01"),
    ("bappeda.lamteng", "Dewi", "Lestari", Role.BAPPEDA_KABUPATEN, "18.02"),
    ("bappeda.lampung", "Hendra", "Gunawan", Role.BAPPEDA_PROVINSI, "18"),
    ("dprd.lamteng", "Ahmad", "Fauzi", Role.DPRD_MEMBER, "18.02"),
    ("setwan.lamteng", "Yuliana", "Putri", Role.DPRD_SECRETARIAT, "18.02"),
    ("admin", "Admin", "Musrenbang", Role.ADMIN, None),
]

# username, title, problem, proposed work, sector, agency, volume, unit, cost, beneficiaries, count, submit?
PROPOSALS = [
    (
        "desa.kalirejo",
        "Rabat beton jalan Dusun III",
        "Jalan tanah sepanjang 600 m licin dan berlumpur saat hujan; anak sekolah sering jatuh.",
        "Rabat beton lebar 3 m sepanjang 600 m.",
        "1.03",
        "1.03.01",
        "600",
        "meter",
        420_000_000,
        "Warga Dusun III",
        640,
        True,
    ),
    (
        "desa.kalirejo",
        "Drainase jalan poros desa",
        "Air hujan menggenangi jalan poros desa karena tidak ada saluran.",
        "Saluran drainase pasangan batu 400 m di kedua sisi jalan.",
        "1.03",
        "1.03.01",
        "400",
        "meter",
        310_000_000,
        "Pengguna jalan poros desa",
        2100,
        True,
    ),
    (
        "desa.kalirejo",
        "Alat kesehatan posyandu",
        "Tiga posyandu belum punya timbangan bayi dan alat ukur tinggi yang layak.",
        "Pengadaan 3 paket alat antropometri posyandu.",
        "1.02",
        "1.02.01",
        "3",
        "paket",
        36_000_000,
        "Balita dan ibu hamil",
        180,
        True,
    ),
    (
        "desa.kalirejo",
        "Pelatihan pengolahan singkong",
        "Harga singkong mentah rendah; kelompok wanita tani ingin mengolah sendiri.",
        "Pelatihan dan peralatan pengolahan keripik dan tepung mocaf untuk 2 kelompok.",
        "2.17",
        "2.17.01",
        "2",
        "kegiatan",
        45_000_000,
        "Kelompok Wanita Tani",
        60,
        False,
    ),
    (
        "desa.srilangsep",
        "Rehabilitasi saluran irigasi tersier",
        "Saluran irigasi tersier rusak sehingga 40 ha sawah hanya bisa tanam sekali setahun.",
        "Rehabilitasi saluran irigasi tersier 850 m.",
        "3.27",
        "3.27.01",
        "850",
        "meter",
        275_000_000,
        "Petani anggota P3A",
        120,
        True,
    ),
    (
        "desa.srilangsep",
        "Sumur bor air bersih",
        "Warga RT 05 dan RT 06 kekurangan air bersih di musim kemarau.",
        "Pembangunan 2 titik sumur bor dengan tandon dan jaringan pipa.",
        "1.03",
        "1.03.01",
        "2",
        "titik",
        150_000_000,
        "Warga RT 05 dan RT 06",
        310,
        True,
    ),
    (
        "desa.srilangsep",
        "Penerangan jalan umum tenaga surya",
        "Jalan antar dusun gelap pada malam hari dan rawan kecelakaan.",
        "Pemasangan 20 titik lampu jalan tenaga surya.",
        "2.15",
        "2.15.01",
        "20",
        "titik",
        180_000_000,
        "Pengguna jalan antar dusun",
        1500,
        False,
    ),
    (
        "desa.srilangsep",
        "Rehabilitasi ruang kelas SD Negeri 2",
        "Dua ruang kelas SD Negeri 2 rusak berat, atap bocor.",
        "Rehabilitasi 2 ruang kelas.",
        "1.01",
        "1.01.01",
        "2",
        "unit",
        260_000_000,
        "Siswa SD Negeri 2",
        190,
        True,
    ),
    (
        "desa.purwodadi",
        "Jembatan gantung Way Pengubuan",
        "Warga menyeberang sungai dengan rakit untuk ke kebun dan sekolah.",
        "Pembangunan jembatan gantung bentang 40 m.",
        "1.03",
        "1.03.01",
        "40",
        "meter",
        950_000_000,
        "Warga Dusun II dan IV",
        870,
        True,
    ),
    (
        "desa.purwodadi",
        "Bedah rumah tidak layak huni",
        "Dua belas keluarga miskin tinggal di rumah berdinding papan lapuk.",
        "Peningkatan kualitas 12 rumah tidak layak huni.",
        "1.04",
        "1.04.01",
        "12",
        "unit",
        240_000_000,
        "Keluarga miskin",
        48,
        True,
    ),
    (
        "desa.purwodadi",
        "Tempat pengolahan sampah terpadu",
        "Sampah rumah tangga dibakar atau dibuang ke sungai.",
        "Pembangunan TPS3R dengan mesin pencacah.",
        "2.11",
        "2.11.01",
        "1",
        "unit",
        350_000_000,
        "Seluruh warga desa",
        3200,
        False,
    ),
    (
        "desa.purwodadi",
        "Kolam ikan kelompok pembudidaya",
        "Kelompok pembudidaya ikan belum memiliki kolam terpal dan benih.",
        "Bantuan 10 kolam terpal bundar beserta benih lele.",
        "3.25",
        "3.25.01",
        "10",
        "unit",
        60_000_000,
        "Pokdakan Mina Sejahtera",
        25,
        True,
    ),
]

# The criteria most kabupaten use, and a ceiling per kecamatan of the demo villages. The fit with
# the regional priorities is scored automatically from where the forum places the item.
CRITERIA = [
    ("Urgensi", 30),
    ("Jumlah penerima manfaat", 25),
    ("Kesesuaian dengan prioritas daerah", 25, "priority"),
    ("Kesiapan", 20),
]

CEILINGS = {"18.02.01": (1_500_000_000, 10), "18.02.02": (1_200_000_000, 8)}

# Lampung Tengah's RKPD priorities (prioritas daerah) with their targets (sasaran daerah).
PRIORITIES = [
    ("Peningkatan infrastruktur dan konektivitas wilayah", "Meningkatnya jalan dan jembatan kabupaten yang mantap"),
    ("Peningkatan kualitas sumber daya manusia", "Meningkatnya derajat kesehatan dan mutu pendidikan masyarakat"),
    ("Penguatan ekonomi kerakyatan berbasis pertanian", "Meningkatnya produktivitas dan nilai tambah hasil pertanian"),
    ("Pengelolaan lingkungan hidup dan pengurangan risiko bencana", "Meningkatnya indeks kualitas lingkungan hidup"),
]

# Indicators under the priorities: (priority index in PRIORITIES, name, unit, baseline, its year,
# target, its year, better when, source document, document, realisations by year). The baselines
# are the figures Kabupaten Blitar's RPJPD gives (docs/domain.md, "Targets"), lent to the demo's
# kabupaten; the targets and realisations are illustrative.
INDICATORS = [
    (1, "Prevalensi stunting", "%", "4,13", 2024, "3,00", 2029, "lower", "rpjpd", [(2025, "3,92")]),
    (
        1,
        "Angka kematian ibu",
        "per 100.000 kelahiran hidup",
        "6,30",
        2024,
        "5,00",
        2029,
        "lower",
        "rpjpd",
        [(2025, "6,45")],
    ),
    (2, "Tingkat kemiskinan", "%", "0,6–1,8", 2024, "0,5–0,8", 2045, "lower", "rpjpd", []),
    (1, "Rata-rata lama sekolah", "tahun", "10,64", 2024, "11,20", 2029, "higher", "rpjpd", [(2025, "10,71")]),
]
INDICATOR_SOURCE = "Angka dasar dari RPJPD Kabupaten Blitar 2025–2045 (contoh)"

# Where the kecamatan forums place the items they agree, by title: priority (index in
# PRIORITIES), programme, activity, sub-activity, activity target, spending type.
CLASSIFIED = {
    "Jembatan gantung Way Pengubuan": (
        0,
        "Program Penyelenggaraan Jalan",
        "Penyelenggaraan Jalan Kabupaten/Kota",
        "Pembangunan Jembatan",
        "Tersedianya jembatan penghubung antardusun",
        "modal",
    ),
}

# Two villages' forums and one kecamatan's are already held, so the walk up the ladder starts
# half-way: Kalirejo's own forum is open for the demo user; Bangun Rejo's bridge already waits
# at Dinas PUPR. Every other item lands with PUPR or Dinkes, whose officers have demo accounts.
HELD = [
    # village operator, place, chair, decisions by title: (outcome, reason)
    (
        "desa.srilangsep",
        "Balai Desa Sri Way Langsep",
        ("Agus Setiawan", "Kepala Desa Sri Way Langsep"),
        {
            "Rehabilitasi saluran irigasi tersier": ("village_budget", "Skala desa: dianggarkan dari Dana Desa 2027."),
            "Sumur bor air bersih": ("accepted", ""),
            "Rehabilitasi ruang kelas SD Negeri 2": ("rejected", "Sudah tercakup dalam DAK Pendidikan 2027."),
        },
    ),
    (
        "desa.purwodadi",
        "Balai Desa Purwodadi",
        ("Made Suarta", "Kepala Desa Purwodadi"),
        {
            "Jembatan gantung Way Pengubuan": ("accepted", ""),
            "Bedah rumah tidak layak huni": ("village_budget", "Dianggarkan dari Dana Desa 2027."),
            "Kolam ikan kelompok pembudidaya": ("rejected", "Kelompok belum terdaftar sebagai Pokdakan."),
        },
    ),
    (
        "kec.bangunrejo",
        "Aula Kantor Camat Bangun Rejo",
        ("Drs. Syamsul Bahri", "Camat Bangun Rejo"),
        {"Jembatan gantung Way Pengubuan": ("accepted", "")},
    ),
]

# Who attends a held forum: (name, gender, institution, element). A village's list names its
# government, its BPD and elements of society, a kecamatan's the villages' delegates too: the
# attendance rule approval checks (forums/attendance.py, docs/rules.md).
PEOPLE = [
    ("Siti Aminah", "P", "Tim Penggerak PKK", "perempuan"),
    ("Wayan Sudarma", "L", "Badan Permusyawaratan Desa", "bpd"),
    ("Yusuf Hidayat", "L", "", "tokoh_masyarakat"),
    ("Rina Marlina", "P", "Karang Taruna", "lkd"),
    ("Slamet Riyadi", "L", "Gapoktan Sumber Rejeki", "petani"),
    ("Heru Prasetyo", "L", "Sekretaris desa", "pemdes"),
]
KECAMATAN_PEOPLE = [
    ("Siti Aminah", "P", "Desa Kalirejo", "delegasi"),
    ("Wayan Sudarma", "L", "Desa Sri Way Langsep", "delegasi"),
    ("Yusuf Hidayat", "L", "", "tokoh_agama"),
    ("Rina Marlina", "P", "Kelompok Wanita Tani", "perempuan"),
    ("Slamet Riyadi", "L", "Kecamatan", "kecamatan"),
    ("Dewi Kartika", "P", "Bappeda", "perangkat_daerah"),
]

# Lampung Tengah's monitoring teams (docs/domain.md, "Season calendar"): each led by an assistant to
# the regional secretary or the head of Bappeda, with Bappeda's echelon-III officials and planners.
TEAMS = [
    ("Tim 1", "Asisten Pemerintahan dan Kesra Setda", ["Kabid Perencanaan Pembangunan Manusia", "Perencana Ahli Muda"]),
    ("Tim 2", "Asisten Perekonomian dan Pembangunan Setda", ["Kabid Ekonomi", "Perencana Ahli Pertama"]),
    ("Tim 3", "Asisten Administrasi Umum Setda", ["Kabid Infrastruktur dan Kewilayahan", "Perencana Ahli Muda"]),
    ("Tim 4", "Kepala Bappeda", ["Sekretaris Bappeda", "Kabid Perencanaan, Pengendalian dan Evaluasi"]),
]
# The kecamatan forums are spread over the first 13 days of their window (1 to 13 February in 2023).
SEASON_DAYS = 13

# Lampung Tengah's catalogue of proposals (kamus usulan) for the plan year: name, definition,
# unit, unit price (Rp), price source, agency code, sector code, physical, sub kegiatan code.
CATALOGUE = [
    (
        "Rabat beton jalan",
        "Perkerasan jalan lingkungan dengan beton K-225 tebal 12 cm, lebar 2–3 m.",
        "m²",
        285_000,
        "hspk",
        "1.03.01",
        "1.03",
        True,
        "1.03.10.2.01.0017",
    ),
    (
        "Saluran drainase pasangan batu",
        "Saluran air tepi jalan dari pasangan batu kali, 40 × 40 cm.",
        "m",
        750_000,
        "hspk",
        "1.03.01",
        "1.03",
        True,
        "",
    ),
    (
        "Lampu penerangan jalan tenaga surya",
        "Satu tiang PJU tenaga surya 40 W lengkap dengan panel dan baterai.",
        "titik",
        12_500_000,
        "ssh",
        "2.15.01",
        "2.15",
        True,
        "",
    ),
    (
        "Sumur bor air bersih",
        "Sumur bor kedalaman hingga 60 m dengan pompa, tandon dan instalasi.",
        "unit",
        45_000_000,
        "hspk",
        "1.04.01",
        "1.04",
        True,
        "",
    ),
    (
        "Pelatihan kader posyandu",
        "Pelatihan dua hari bagi kader posyandu tentang pemantauan tumbuh kembang balita.",
        "orang",
        450_000,
        "asb",
        "1.02.01",
        "1.02",
        False,
        "",
    ),
]
