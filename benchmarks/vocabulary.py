"""What the national data set's proposals are made of: kinds of work with their sector, unit,
price range and agency, places, proposers and agencies. Plain data; benchmarks/seed.py draws
from it with a seeded random generator, so the same arguments give the same rows.

The mix is roughly that of real village proposals: roads and drains first, then water,
bridges, health posts and schools. "jembatan" stands in about one title in sixteen, as the
scale issue measured.
"""

# (title, unit, sector code, physical?, (lowest, highest) price per unit in Rupiah, volume range, weight)
WORKS = [
    ("Pembangunan jalan rabat beton", "meter", "1.03", True, (900_000, 1_400_000), (50, 800), 18),
    ("Pengaspalan jalan lingkungan", "meter", "1.03", True, (1_200_000, 2_000_000), (100, 1_000), 10),
    ("Pembangunan drainase", "meter", "1.03", True, (500_000, 900_000), (50, 600), 12),
    ("Pembangunan talud penahan tanah", "meter", "1.03", True, (1_500_000, 2_500_000), (20, 200), 8),
    ("Pembangunan jembatan", "unit", "1.03", True, (150_000_000, 950_000_000), (1, 1), 4),
    ("Rehabilitasi jembatan", "unit", "1.03", True, (50_000_000, 300_000_000), (1, 1), 3),
    ("Pembangunan sumur bor", "titik", "1.04", True, (25_000_000, 60_000_000), (1, 5), 7),
    ("Penyediaan air bersih perpipaan", "meter", "1.04", True, (150_000, 400_000), (200, 3_000), 5),
    ("Rehabilitasi rumah tidak layak huni", "unit", "1.04", True, (20_000_000, 40_000_000), (2, 20), 6),
    ("Pembangunan gedung posyandu", "unit", "1.02", True, (150_000_000, 350_000_000), (1, 1), 4),
    ("Pengadaan alat kesehatan posyandu", "paket", "1.02", False, (10_000_000, 50_000_000), (1, 3), 3),
    ("Rehabilitasi ruang kelas sekolah dasar", "ruang", "1.01", True, (100_000_000, 250_000_000), (1, 4), 5),
    ("Pelatihan kader kesehatan", "orang", "1.02", False, (500_000, 1_500_000), (10, 60), 2),
    ("Pelatihan keterampilan pemuda", "orang", "1.06", False, (750_000, 2_000_000), (20, 80), 3),
    ("Bantuan bibit dan pupuk kelompok tani", "paket", "3.27", False, (5_000_000, 25_000_000), (1, 10), 5),
    ("Pembangunan irigasi tersier", "meter", "1.03", True, (400_000, 900_000), (100, 1_500), 4),
    ("Penerangan jalan umum tenaga surya", "titik", "1.03", True, (12_000_000, 25_000_000), (5, 40), 3),
    ("Pembangunan tempat pembuangan sampah", "unit", "1.04", True, (40_000_000, 120_000_000), (1, 2), 2),
]

PLACES = ["Dusun {n}", "RT {n:02d}", "Lingkungan {n}", "Jalan Poros Dusun {n}", "Kampung {n}"]

PROBLEMS = [
    "Saat hujan jalan berlumpur dan tidak dapat dilalui kendaraan.",
    "Air meluap ke rumah warga setiap musim hujan.",
    "Warga harus berjalan jauh untuk mendapatkan air bersih.",
    "Bangunan lama rusak berat dan membahayakan pengguna.",
    "Anak-anak menyeberang sungai tanpa penyeberangan yang aman.",
    "Hasil panen sulit diangkut ke pasar.",
    "Pelayanan kesehatan ibu dan anak belum memadai.",
]

FIRST_NAMES = ["Sri", "Agus", "Made", "Siti", "Budi", "Dewi", "Rudi", "Nur", "Joko", "Ratna", "Hendra", "Wayan"]
LAST_NAMES = ["Wahyuni", "Setiawan", "Suarta", "Rahayu", "Santoso", "Lestari", "Hartono", "Hasanah", "Gunawan"]

PROPOSERS = ["warga", "rt", "rw", "lembaga", "desa"]

# The perangkat daerah every seeded kabupaten/kota gets: (code, name, short name, sector it carries).
AGENCIES = [
    ("1.01.01", "Dinas Pendidikan", "Disdik", "1.01"),
    ("1.02.01", "Dinas Kesehatan", "Dinkes", "1.02"),
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "1.03"),
    ("1.04.01", "Dinas Perumahan dan Kawasan Permukiman", "Perkim", "1.04"),
    ("1.06.01", "Dinas Sosial", "Dinsos", "1.06"),
    ("3.27.01", "Dinas Pertanian", "Distan", "3.27"),
]

# Who sits in a forum: delegates and attendees are drawn from these (a delegate list needs a woman).
WOMEN = ["Sri", "Siti", "Dewi", "Ratna", "Yuliana", "Kartini", "Wulan", "Ani"]
MEN = ["Agus", "Made", "Budi", "Rudi", "Joko", "Hendra", "Wayan", "Slamet"]
ATTENDING = [
    "Badan Permusyawaratan Desa",
    "Tokoh masyarakat",
    "Tim Penggerak PKK",
    "Karang Taruna",
    "Tokoh agama",
    "Kelompok tani",
    "Lembaga Pemberdayaan Masyarakat",
]
