"""How a forum is named in official Indonesian text, and the default wording of its minutes.

A berita acara is an Indonesian government document whatever language the officer reads the
site in, so nothing here is translated: the names follow the letterheads and titles of real
minutes ("PEMERINTAH KABUPATEN LAMPUNG TENGAH", "Musrenbang Kecamatan Kalirejo"), and the
default considerations and decisions follow the points real forums record. The officer edits
the defaults before the forum is approved; the PDF numbers them (1., 2., ... and KESATU,
KEDUA, ...), so the texts here carry no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from regions.models import Kind, Level, Region

from .models import Forum, ForumKind

# The kind words a region's official name may already start with ("Kabupaten Lampung Tengah").
_KIND_WORDS = {
    Kind.PROVINSI: "Provinsi",
    Kind.KABUPATEN: "Kabupaten",
    Kind.KOTA: "Kota",
    Kind.KECAMATAN: "Kecamatan",
    Kind.DISTRIK: "Distrik",
    Kind.DESA: "Desa",
    Kind.KELURAHAN: "Kelurahan",
    Kind.DESA_ADAT: "Desa Adat",
}


def official_name(region: Region) -> str:
    """'Kabupaten Lampung Tengah', 'Provinsi Lampung', 'Kecamatan Kalirejo', 'Desa Kalirejo'."""
    word = _KIND_WORDS.get(region.kind, "")
    if not word or region.name.lower().startswith(word.lower() + " "):
        return region.name
    return f"{word} {region.name}"


def bare_name(region: Region) -> str:
    """The name without its kind word: 'Lampung Tengah', 'Kalirejo' (a place in a signature line)."""
    word = _KIND_WORDS.get(region.kind, "")
    if word and region.name.lower().startswith(word.lower() + " "):
        return region.name[len(word) + 1 :]
    return region.name


@dataclass(frozen=True)
class ForumNames:
    """Every name the minutes of one forum use, worked out once (one query for the ancestors)."""

    government: str  # "Pemerintah Kabupaten Lampung Tengah"
    units: tuple[str, ...]  # the letterhead lines under it, the last one the issuing unit
    forum: str  # "Musrenbang Kecamatan Kalirejo", "Forum Perangkat Daerah Dinas ..."
    forum_long: str  # as the opening sentence names it
    plan_region: str  # whose RKPD the forum prepares: "Kabupaten Lampung Tengah"
    signing_place: str  # "Kalirejo"
    next_forum: str  # where its agreed items go; empty at the top


def forum_title(forum: Forum) -> str:
    """The forum as its minutes name it: 'Musrenbang Desa Kalirejo', 'Musrenbang RKPD Kabupaten
    Lampung Tengah', 'Forum Perangkat Daerah Dinas ...'. Reads only the region and agency, so a
    list of forums (public pages) names them without a query each."""
    if forum.kind == ForumKind.AGENCY:
        return f"Forum Perangkat Daerah {forum.agency.name}"
    if forum.level in (Level.DESA, Level.KECAMATAN):
        return f"Musrenbang {official_name(forum.region)}"
    return f"Musrenbang RKPD {official_name(forum.region)}"


def forum_names(forum: Forum) -> ForumNames:
    region = forum.region
    ancestors = {r.level: r for r in Region.objects.filter(code__in=region.ancestor_codes())}
    ancestors[region.level] = region
    provinsi = ancestors[Level.PROVINSI]
    kabupaten = ancestors.get(Level.KABUPATEN)

    if forum.level == Level.PROVINSI:
        government, plan_region = f"Pemerintah {official_name(provinsi)}", official_name(provinsi)
    else:
        government, plan_region = f"Pemerintah {official_name(kabupaten)}", official_name(kabupaten)

    if forum.kind == ForumKind.AGENCY:
        name = forum.agency.name
        return ForumNames(
            government=government,
            units=(name,),
            forum=forum_title(forum),
            forum_long=f"Forum Perangkat Daerah {name} {plan_region}",
            plan_region=plan_region,
            signing_place=bare_name(kabupaten),
            next_forum=f"Musrenbang RKPD {plan_region}",
        )
    place = official_name(region)
    match forum.level:
        case Level.DESA:
            units = (official_name(ancestors[Level.KECAMATAN]), place)
            next_forum = f"Musrenbang {official_name(ancestors[Level.KECAMATAN])}"
        case Level.KECAMATAN:
            units = (place,)
            next_forum = f"Forum Perangkat Daerah dan Musrenbang RKPD {plan_region}"
        case Level.KABUPATEN:
            units = ("Badan Perencanaan Pembangunan Daerah",)
            next_forum = f"Musrenbang RKPD {official_name(provinsi)}"
        case _:
            units = ("Badan Perencanaan Pembangunan Daerah",)
            next_forum = ""
    short = forum_title(forum)
    return ForumNames(
        government=government,
        units=units,
        forum=short,
        forum_long=short.replace("Musrenbang", "Musyawarah Perencanaan Pembangunan (Musrenbang)", 1),
        plan_region=plan_region,
        signing_place=bare_name(region),
        next_forum=next_forum,
    )


def _head_of(region: Region) -> str:
    """The title of the region's head: Bupati, Wali Kota, Gubernur, Camat, Kepala Desa, Lurah."""
    return {
        Kind.PROVINSI: "Gubernur",
        Kind.KABUPATEN: "Bupati",
        Kind.KOTA: "Wali Kota",
        Kind.KECAMATAN: "Camat",
        Kind.DISTRIK: "Kepala Distrik",
        Kind.KELURAHAN: "Lurah",
    }.get(region.kind, "Kepala Desa")


def default_considerations(forum: Forum) -> str:
    """What a forum of this level usually heard and considered, one point per line."""
    names = forum_names(forum)
    year = forum.planning_year.year
    rkpd = f"Rencana Kerja Pemerintah Daerah (RKPD) {names.plan_region} Tahun {year}"
    region = forum.region
    if forum.kind == ForumKind.AGENCY:
        agency = forum.agency.name
        points = [
            f"Sambutan dan arahan Kepala {agency} atau yang mewakili;",
            f"Paparan rancangan awal Rencana Kerja {agency} Tahun {year} beserta pagu indikatifnya;",
            f"Rancangan awal {rkpd} serta prioritas dan sasaran pembangunan daerah;",
            f"Usulan hasil Musrenbang Kecamatan se-{names.plan_region} yang menjadi kewenangan {agency};",
            "Tanggapan, saran dan masukan dari peserta forum;",
            "Hasil pembahasan dan penyelarasan usulan dalam sidang forum.",
        ]
    elif forum.level == Level.DESA:
        points = [
            f"Sambutan dan arahan {_head_of(region)} {region.name} serta Camat atau yang mewakili;",
            f"Paparan narasumber tentang arah kebijakan pembangunan dan rancangan awal {rkpd};",
            "Usulan kegiatan hasil musyawarah dusun, RT/RW dan kelompok masyarakat;",
            f"Tanggapan, saran dan masukan dari peserta {names.forum};",
            "Hasil pembahasan dan penilaian prioritas usulan dalam sidang musyawarah.",
        ]
    elif forum.level == Level.KECAMATAN:
        points = [
            f"Sambutan dan arahan {_head_of(region)} {region.name} serta pejabat Pemerintah {names.plan_region};",
            f"Paparan rancangan awal {rkpd}, prioritas pembangunan daerah dan pagu indikatif kewilayahan "
            f"{official_name(region)};",
            f"Daftar prioritas usulan hasil Musrenbang Desa/Kelurahan se-{official_name(region)};",
            "Tanggapan, saran dan masukan para delegasi desa/kelurahan dan peserta musyawarah;",
            "Hasil pembahasan dalam sidang kelompok dan penilaian prioritas usulan berdasarkan kriteria yang "
            "ditetapkan.",
        ]
    elif forum.level == Level.KABUPATEN:
        points = [
            f"Sambutan dan arahan {_head_of(region)} {bare_name(region)} atau yang mewakili;",
            f"Paparan Badan Perencanaan Pembangunan Daerah tentang rancangan {rkpd};",
            f"Hasil Musrenbang Kecamatan dan Forum Perangkat Daerah se-{names.plan_region};",
            f"Pokok-pokok pikiran Dewan Perwakilan Rakyat Daerah {names.plan_region};",
            "Tanggapan, saran dan masukan dari peserta musyawarah;",
            "Hasil pembahasan dalam sidang kelompok dan sidang pleno.",
        ]
    else:
        points = [
            f"Sambutan dan arahan {_head_of(region)} {bare_name(region)} atau yang mewakili;",
            f"Paparan Badan Perencanaan Pembangunan Daerah tentang rancangan {rkpd};",
            f"Usulan hasil Musrenbang RKPD kabupaten/kota se-{names.plan_region};",
            f"Pokok-pokok pikiran Dewan Perwakilan Rakyat Daerah {names.plan_region};",
            "Tanggapan, saran dan masukan dari peserta musyawarah;",
            "Hasil pembahasan dalam sidang kelompok dan sidang pleno.",
        ]
    return "\n".join(points)


def default_resolutions(forum: Forum) -> str:
    """The usual decisions of a forum of this level, one per paragraph (blank line between)."""
    names = forum_names(forum)
    year = forum.planning_year.year
    rkpd = f"Rencana Kerja Pemerintah Daerah (RKPD) {names.plan_region} Tahun {year}"
    top = forum.kind == ForumKind.MUSRENBANG and forum.level in (Level.KABUPATEN, Level.PROVINSI)
    if forum.kind == ForumKind.AGENCY:
        agreed = (
            f"Menyepakati daftar prioritas usulan kegiatan yang menjadi kewenangan {forum.agency.name} untuk "
            f"{rkpd}, sebagaimana tercantum dalam Lampiran II berita acara ini, untuk dibahas dalam "
            f"{names.next_forum}."
        )
    elif top:
        agreed = (
            f"Menyepakati daftar prioritas usulan kegiatan pembangunan yang diakomodasi dalam {rkpd}, "
            "sebagaimana tercantum dalam Lampiran II berita acara ini."
        )
        if names.next_forum:
            agreed += f" Usulan yang menjadi kewenangan provinsi disampaikan kepada {names.next_forum}."
    else:
        agreed = (
            f"Menyepakati daftar prioritas usulan kegiatan pembangunan {official_name(forum.region)} untuk "
            f"{rkpd}, sebagaimana tercantum dalam Lampiran II berita acara ini, untuk disampaikan kepada "
            f"{names.next_forum}."
        )
    decisions = [
        agreed,
        "Usulan yang tidak disepakati beserta alasannya sebagaimana tercantum dalam Lampiran III berita acara ini.",
    ]
    if forum.kind == ForumKind.MUSRENBANG and forum.level in (Level.DESA, Level.KECAMATAN):
        decisions.append(
            f"Menetapkan delegasi {names.forum} untuk mengikuti {names.next_forum}, sebagaimana tercantum "
            "dalam Lampiran IV berita acara ini."
        )
    if forum.kind == ForumKind.AGENCY:
        basis = f"bahan penyusunan Rencana Kerja {forum.agency.name} Tahun {year} dan rancangan {rkpd}"
    elif top:
        basis = f"bahan penyusunan rancangan akhir {rkpd}"
    else:
        basis = f"bahan penyusunan rancangan {rkpd}"
    decisions.append(f"Berita acara ini beserta lampirannya menjadi {basis}.")
    return "\n\n".join(decisions)
