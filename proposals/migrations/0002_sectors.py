"""The bidang urusan of Permendagri 90/2019, the sectors every proposal is filed under."""

from django.db import migrations

SECTORS = [
    ("1.01", "Pendidikan"),
    ("1.02", "Kesehatan"),
    ("1.03", "Pekerjaan Umum dan Penataan Ruang"),
    ("1.04", "Perumahan Rakyat dan Kawasan Permukiman"),
    ("1.05", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat"),
    ("1.06", "Sosial"),
    ("2.07", "Tenaga Kerja"),
    ("2.08", "Pemberdayaan Perempuan dan Pelindungan Anak"),
    ("2.09", "Pangan"),
    ("2.10", "Pertanahan"),
    ("2.11", "Lingkungan Hidup"),
    ("2.12", "Administrasi Kependudukan dan Pencatatan Sipil"),
    ("2.13", "Pemberdayaan Masyarakat dan Desa"),
    ("2.14", "Pengendalian Penduduk dan Keluarga Berencana"),
    ("2.15", "Perhubungan"),
    ("2.16", "Komunikasi dan Informatika"),
    ("2.17", "Koperasi, Usaha Kecil, dan Menengah"),
    ("2.18", "Penanaman Modal"),
    ("2.19", "Kepemudaan dan Olahraga"),
    ("2.20", "Statistik"),
    ("2.21", "Persandian"),
    ("2.22", "Kebudayaan"),
    ("2.23", "Perpustakaan"),
    ("2.24", "Kearsipan"),
    ("3.25", "Kelautan dan Perikanan"),
    ("3.26", "Pariwisata"),
    ("3.27", "Pertanian"),
    ("3.28", "Kehutanan"),
    ("3.29", "Energi dan Sumber Daya Mineral"),
    ("3.30", "Perdagangan"),
    ("3.31", "Perindustrian"),
    ("3.32", "Transmigrasi"),
]


def load(apps, schema_editor):
    Sector = apps.get_model("proposals", "Sector")
    for code, name in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
