"""The command line for issue 12's formats and options: --label-map, --format webanno,
doccano's 1.x variant, brat's annotation.conf with --add-labels."""

from __future__ import annotations

import json

from cli_driver import rows, run


def test_cli_interchange_doccano_1x_with_label_map(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "Mara met Tarn.", "annotations": [
        {"label": 3, "start_offset": 0, "end_offset": 4, "user": 1},
        {"label": 3, "start_offset": 0, "end_offset": 4, "user": 2}]}) + "\n", encoding="utf-8")
    project = tmp_path / "p.annotator"
    result = run("import", project, path, "--label-map", "3=PERSON")
    assert result.exit_code == 0, result.output
    assert rows(project, "SELECT text, label, annotator FROM span_view ORDER BY annotator") == [
        ("Mara", "PERSON", "1"), ("Mara", "PERSON", "2")]
    out = tmp_path / "out.jsonl"
    result = run("export", project, "--format", "doccano", "--variant", "annotations", "-o", out, "--include", "all")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["annotations"] == [
        {"label": "PERSON", "start_offset": 0, "end_offset": 4, "user": "1"},
        {"label": "PERSON", "start_offset": 0, "end_offset": 4, "user": "2"}]


def test_cli_interchange_bad_label_map_exit_2_nothing_created(tmp_path):
    bad = tmp_path / "map.txt"
    bad.write_text("3=PERSON\nnonsense\n", encoding="utf-8")
    result = run("import", tmp_path / "p.annotator", tmp_path / "x.jsonl", "--label-map", bad)
    assert result.exit_code == 2
    assert f"{bad}:2: --label-map: 'nonsense' must look like ID=LABEL" in result.output
    assert "Traceback" not in result.output


def test_cli_interchange_bad_variant_exit_2(tmp_path):
    project = tmp_path / "p.annotator"
    run("new", project)
    result = run("export", project, "--format", "prodigy", "--variant", "annotations", "-o", tmp_path / "o.jsonl")
    assert result.exit_code == 2 and "--variant applies to doccano" in result.output


def test_cli_interchange_webanno_both_ways(tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text("#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|"
                      "identifier|value\n\n\n#Text=Mara met Tarn 😊 .\n1-1\t0-4\tMara\t*\tPERSON\t\n"
                      "1-2\t5-8\tmet\t_\t_\t\n1-3\t9-13\tTarn\t*\tGPE\t\n1-4\t14-16\t😊\t_\t_\t\n"
                      "1-5\t17-18\t.\t_\t_\t\n",
                      encoding="utf-8")
    project = tmp_path / "p.annotator"
    refused = run("import", project, source)
    assert refused.exit_code == 2 and "read as webanno (guessed from the content)" in refused.output
    assert "import with --offsets utf16" in refused.output
    result = run("import", project, source, "--offsets", "utf16")
    assert result.exit_code == 0, result.output
    assert rows(project, "SELECT text, label FROM span_view ORDER BY start") == [("Mara", "PERSON"), ("Tarn", "GPE")]
    result = run("export", project, "--format", "webanno", "-o", tmp_path / "out", "--include", "all",
                 "--offsets", "utf16")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "out" / "doc-000001.tsv").read_text(encoding="utf-8")
    assert "\n1-4\t14-16\t😊\t_\t_\t\n" in written and written.startswith("#FORMAT=WebAnno TSV 3.3\n")
    plain = run("export", project, "--format", "webanno", "-o", tmp_path / "cp", "--include", "all")
    assert "export with --offsets utf16 for INCEpTION" in plain.output  # never silently wrong for INCEpTION


def test_cli_interchange_brat_conf_with_add_labels(tmp_path):
    (tmp_path / "annotation.conf").write_text("[entities]\nAgency\n[events]\nAttack\tTarget:Agency\n"
                                              "[attributes]\nNegation\tArg:<EVENT>\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Raid on the agency.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tAttack 0 4\tRaid\nT2\tAgency 12 18\tagency\nE1\tAttack:T1 Target:T2\n"
                                    "A1\tNegation E1\n", encoding="utf-8")
    project = tmp_path / "p.annotator"
    refused = run("import", project, tmp_path)
    assert refused.exit_code == 2 and "unknown label(s)" in refused.output
    result = run("import", project, tmp_path, "--add-labels")
    assert result.exit_code == 0, result.output
    assert rows(project, "SELECT name, kind FROM labels WHERE name IN ('Agency', 'Attack') ORDER BY name") == [
        ("Agency", "entity"), ("Attack", "role")]
    assert rows(project, "SELECT label FROM events") == [("Attack",)]
