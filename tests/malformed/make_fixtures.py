#!/usr/bin/env python3
# Regenerates the malformed-input fixtures (some are binary, UTF-16 or Latin-1, so they are
# written byte by byte here). Run from anywhere: python3 tests/malformed/make_fixtures.py
import os, shutil, unicodedata
root = os.path.dirname(os.path.abspath(__file__))

CRITERIA = """code,title,max_points,min_points,step,kind
1,Chỉ đạo điều hành,3,,,
1.1,Kế hoạch CCHC,2,,0.5,
1.2,Báo cáo CCHC,1,,0.25,
2,Hài lòng của người dân,2,,,survey
2.1,Khảo sát hài lòng,2,,,survey
"""
UNITS = """unit_code,unit_name
SNV,Sở Nội vụ
STP,Sở Tư pháp
"""
SELF = """unit_code,criterion_code,self_score,note
SNV,1.1,"1,5",
SNV,1.2,1,
STP,1.1,2,
STP,1.2,0.75,
"""

def case(name, expected, claims=None, **files):
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    base = {'criteria.csv': CRITERIA, 'units.csv': UNITS, 'self_scores.csv': SELF}
    for k, v in files.items():
        fname = k.replace('_csv', '.csv')
        base[fname] = v
    for fname, content in base.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode('utf-8')
        open(os.path.join(d, fname), 'wb').write(data)
    open(os.path.join(d, 'expected.txt'), 'w').write('\n'.join(expected) + '\n')
    # Without --strict these are the unit's claims: imported with these warnings.
    if claims:
        open(os.path.join(d, 'claims.txt'), 'w').write('\n'.join(claims) + '\n')

def self_with(row, at=3):
    lines = SELF.splitlines()
    lines[at - 1] = row
    return '\n'.join(lines) + '\n'

case('missing_header_column', ["self_scores.csv:1: missing required column 'self_score'"],
     self_scores_csv="unit_code,criterion_code,note\nSNV,1.1,x\n")
case('wrong_header', ["units.csv:1: missing required column 'unit_code'",
                      "units.csv:1: missing required column 'unit_name'"],
     units_csv="id,label\nSNV,Sở Nội vụ\n")
case('too_few_fields', ["self_scores.csv:3:3: too few fields: expected 4 (as in the header), found 2"],
     self_scores_csv=self_with("SNV,1.2"))
case('too_many_fields', ["self_scores.csv:3:5: too many fields: expected 4 (as in the header), found 5"],
     self_scores_csv=self_with("SNV,1.2,1,ghi chú,thừa"))
case('duplicate_criterion_code', ["criteria.csv:5:1: duplicate criterion code 1.2: it is already on line 4"],
     criteria_csv=CRITERIA.replace("1.2,Báo cáo CCHC,1,,0.25,\n", "1.2,Báo cáo CCHC,1,,0.25,\n1.2,Lặp lại,1,,,\n"))
case('duplicate_unit', ["units.csv:4:1: duplicate unit_code 'SNV': it is already on line 2"],
     units_csv=UNITS + "SNV,Sở khác\n")
case('duplicate_self_score_row', ["self_scores.csv:6:2: duplicate row for unit 'SNV', criterion 1.1: it is already on line 2"],
     self_scores_csv=SELF + "SNV,1.1,2,\n")
case('unknown_unit_code', ["self_scores.csv:3:1: unknown unit code 'SYT'"],
     self_scores_csv=self_with("SYT,1.2,1,"))
case('unknown_criterion_code', ["self_scores.csv:3:2: unknown criterion code '9.9'"],
     self_scores_csv=self_with("SNV,9.9,1,"))
case('parent_criterion_scored', ["self_scores.csv:3:2: criterion 1 is not a leaf: it has sub-criteria (1.1, 1.2)"],
     self_scores_csv=self_with("SNV,1,3,"))
case('score_above_max', ["self_scores.csv:2:3: self_score: 2.5 is above the maximum 2 of criterion 1.1"],
     claims=["self_scores.csv:2:3: self_score: 2.5 is above the maximum 2 of criterion 1.1: imported as the unit claimed it and marked invalid"],
     self_scores_csv=self_with("SNV,1.1,2.5,", at=2))
case('score_below_min', ["self_scores.csv:3:3: self_score: -0.25 is below the minimum 0 of criterion 1.2"],
     claims=["self_scores.csv:3:3: self_score: -0.25 is below the minimum 0 of criterion 1.2: imported as the unit claimed it and marked invalid"],
     self_scores_csv=self_with("SNV,1.2,\"-0,25\","))
case('score_off_step', ["self_scores.csv:3:3: self_score: 0.3 is not on criterion 1.2's step of 0.25"],
     claims=["self_scores.csv:3:3: self_score: 0.3 is not on criterion 1.2's step of 0.25 (counted from 0): imported as the unit claimed it and marked invalid"],
     self_scores_csv=self_with("SNV,1.2,0.3,"))
for name, text in [('nan', 'NaN'), ('inf', 'inf'), ('exponent', '1e3'), ('two_dots', '1.2.3'), ('vulgar_fraction', '½')]:
    case('score_' + name, [f"self_scores.csv:3:3: self_score: '{text}' is not a number of points"],
         self_scores_csv=self_with(f"SNV,1.2,{text},"))
case('empty_file', ["self_scores.csv:1: the file is empty: expected a header row"], self_scores_csv="")
case('binary_garbage', ["self_scores.csv:1:1: not UTF-8 text; save the file as UTF-8"],
     self_scores_csv=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe\x08\x02")
case('nul_bytes', ["self_scores.csv:2:3: not UTF-8 text; save the file as UTF-8 (found a NUL byte"],
     self_scores_csv=b"unit_code,criterion_code,self_score\nSNV,1.1,\x001\n")
case('utf16_le_bom', ["units.csv:1:1: not UTF-8 text; save the file as UTF-8 (found a UTF-16 LE byte-order mark"],
     units_csv=b"\xff\xfe" + UNITS.encode('utf-16-le'))
case('utf16_be_bom', ["criteria.csv:1:1: not UTF-8 text; save the file as UTF-8 (found a UTF-16 BE byte-order mark"],
     criteria_csv=b"\xfe\xff" + CRITERIA.encode('utf-16-be'))
case('latin1_text', ["units.csv:3:2: not UTF-8 text; save the file as UTF-8 (found byte 0xE0"],
     units_csv="unit_code,unit_name\nSNV,So Noi vu\nSTP,Sở Tư pháp Cà Mau\n".replace('Sở Tư pháp ', 'So Tu phap ').encode('latin-1'))
case('windows_1258_text', ["units.csv:3:2: not UTF-8 text; save the file as UTF-8"],
     units_csv=("unit_code,unit_name\nSNV,So Noi vu\nSTP,").encode() + "S\u01a1\u0309 T\u01b0 pha\u0301p".encode("cp1258") + b"\n")
case('code_double_dot', ["criteria.csv:4:1: code: '1..2' is not a criterion code"],
     criteria_csv=CRITERIA.replace("1.2,Báo", "1..2,Báo"))
case('code_letter', ["criteria.csv:4:1: code: '1.a' is not a criterion code"],
     criteria_csv=CRITERIA.replace("1.2,Báo", "1.a,Báo"))
case('parent_max_mismatch', ["criteria.csv:2:3: criterion 1: max_points is 3 but its children's maxima add up to 3.5"],
     criteria_csv=CRITERIA.replace("1.2,Báo cáo CCHC,1,,0.25,", "1.2,Báo cáo CCHC,1.5,,0.25,"))
case('max_below_min', ["criteria.csv:4:3: criterion 1.2: max_points 1 is below min_points 2"],
     criteria_csv=CRITERIA.replace("1.2,Báo cáo CCHC,1,,0.25,", "1.2,Báo cáo CCHC,1,2,0.25,"))
case('step_not_dividing', ["criteria.csv:4:5: criterion 1.2: step 0.3 does not divide max − min = 1"],
     criteria_csv=CRITERIA.replace("1.2,Báo cáo CCHC,1,,0.25,", "1.2,Báo cáo CCHC,1,,0.3,"))
case('missing_parent', ["criteria.csv:7:1: criterion 3.1 has no parent 3 in the file"],
     criteria_csv=CRITERIA + "3.1,Mồ côi,1,,,\n")
case('unknown_kind', ["criteria.csv:6:6: kind: expected score, survey, bonus or penalty (or điểm, điều tra, thưởng, trừ), found 'quiz'"],
     criteria_csv=CRITERIA.replace("2.1,Khảo sát hài lòng,2,,,survey", "2.1,Khảo sát hài lòng,2,,,quiz"))
case('criteria_without_rows', ["criteria.csv:1: no criteria: the file has a header but no rows"],
     criteria_csv="code,title,max_points\n")
case('survey_leaf_self_scored', ["self_scores.csv:6:2: criterion 2.1 is a survey criterion: its points come from survey.csv"],
     self_scores_csv=SELF + "SNV,2.1,1,\n")
case('survey_row_on_score_leaf', ["survey.csv:2:2: criterion 1.1 is not a survey criterion (its kind is score)"],
     survey_csv="unit_code,criterion_code,score\nSNV,1.1,1\n")
case('duplicate_proposal_row', ["proposals.csv:3:2: duplicate row for unit 'STP', criterion 1.2: it is already on line 2"],
     proposals_csv="unit_code,criterion_code,proposed_score,note\nSTP,1.2,0.5,\nSTP,1.2,0.25,\n")
case('multiline_record_error_at_start_line', ["self_scores.csv:3:3: self_score: 'một' is not a number of points"],
     self_scores_csv=self_with("SNV,1.2,một,\"ghi chú\ndòng hai\ndòng ba\"") + "STP,9.9,1,\n")
case('missing_units_file', ["units.csv: file not found: a new session needs units.csv"], units_csv=None)
case('empty_unit_code', ["self_scores.csv:3:1: unit_code: expected a unit code, found an empty cell"],
     self_scores_csv=self_with(",1.2,1,"))
case('several_errors_at_once', [
    "units.csv:4:1: duplicate unit_code 'SNV'",
    "self_scores.csv:2:3: self_score: 'NaN' is not a number of points",
    "self_scores.csv:3:1: unknown unit code 'SYT'",
    "self_scores.csv:3:2: unknown criterion code '7'",
    "self_scores.csv:5:3: self_score: 3 is above the maximum 1 of criterion 1.2",
    "evidence.csv:2:2: criterion 1 is not a leaf",
    "proposals.csv:2:3: proposed_score: '1e3' is not a number of points",
    ],
    units_csv=UNITS + "SNV,Sở khác\n",
    self_scores_csv="unit_code,criterion_code,self_score,note\nSNV,1.1,NaN,\nSYT,7,1,\nSTP,1.1,2,\nSTP,1.2,3,\n",
    evidence_csv="unit_code,criterion_code,ref\nSNV,1,5/QĐ\n",
    proposals_csv="unit_code,criterion_code,proposed_score\nSNV,1.1,1e3\n")
# The multiline case: the record on line 3 spans lines 3-5, so the 9.9 row is physical line 8.
with open(os.path.join(root, 'multiline_record_error_at_start_line', 'expected.txt'), 'a') as f:
    f.write("self_scores.csv:8:2: unknown criterion code '9.9'\n")
crlf = "unit_code,criterion_code,self_score,note\r\nSNV,1.1,2,\"dòng 1\r\ndòng 2\"\r\n\r\n\r\nSNV,1.2,abc,\r\n"
case('crlf_multiline_and_blank_lines', ["self_scores.csv:6:3: self_score: 'abc' is not a number of points"],
     self_scores_csv=b"\xef\xbb\xbf" + crlf.encode())
case('latin1_and_missing_column', [
    "units.csv:1: missing required column 'unit_name'",
    "units.csv:3:1: not UTF-8 text; save the file as UTF-8 (found byte 0xC9"],
     units_csv="unit_code,ten_sai\nSNV,x\nÉ,y\n".encode('latin-1'))
# A ';'-separated file (as a Vietnamese-locale Excel saves CSV) is read since issue 11:
# tests/import_workbooks.rs.
# Issue 10: strict, bounded reading.
# A quote left open swallows the rest of the file: the error is where it opened.
case('unclosed_quote_swallows_rows', ["units.csv:2:2: a quoted field opens here and is never closed"],
     units_csv='unit_code,unit_name\nSNV,"Sở Nội vụ\nSTP,Sở Tư pháp\nSYT,Sở Y tế\n')
case('unclosed_quote_hides_a_proposal', ["proposals.csv:2:4: a quoted field opens here and is never closed"],
     proposals_csv='unit_code,criterion_code,proposed_score,note\nSNV,1.1,1,"thiếu minh chứng\nSTP,1.1,1.5,\n')
# Lone CR (old Mac) and mixed line ends: the physical line of the bad row.
case('lone_cr_line_ends', ["self_scores.csv:4:3: self_score: 'abc' is not a number of points"],
     self_scores_csv="unit_code,criterion_code,self_score,note\rSNV,1.1,1,\rSNV,1.2,1,\rSTP,1.1,abc,\r")
case('mixed_line_ends', ["self_scores.csv:6:3: self_score: 'abc' is not a number of points"],
     self_scores_csv='unit_code,criterion_code,self_score,note\r\nSNV,1.1,1,"a\rb"\nSNV,1.2,1,\r\rSTP,1.1,abc,\n')
# Codes with something invisible in them.
case('unit_code_bom_prefix', ["units.csv:3:1: unit_code: 'STP' begins with an invisible character (U+FEFF)"],
     units_csv="unit_code,unit_name\nSNV,Sở Nội vụ\n\ufeffSTP,Sở Tư pháp\n")
case('unit_code_zero_width', ["self_scores.csv:3:1: unit_code: 'SNV' contains an invisible character (U+200B)"],
     self_scores_csv=self_with("SNV\u200b,1.2,1,"))
case('criterion_code_nbsp', ["self_scores.csv:3:2: criterion_code: '1.2' begins with an invisible character (U+00A0)"],
     self_scores_csv=self_with("SNV,\u00a01.2,1,"))
case('criteria_code_invisible', ["criteria.csv:3:1: code: '1.1' begins with an invisible character (U+2060)"],
     criteria_csv=CRITERIA.replace("1.1,Kế hoạch", "\u20601.1,Kế hoạch"))
# Codes that differ only by case or diacritics.
case('unit_code_case_only', ["units.csv:4:1: unit_code 'snv' differs from 'SNV' (on line 2) only by case or diacritics"],
     units_csv=UNITS + "snv,Sở Nội vụ (bản sao)\n")
case('unit_code_diacritics_only', ["units.csv:4:1: unit_code 'DNV' differs from 'ĐNV' (on line 3) only by case or diacritics"],
     units_csv="unit_code,unit_name\nSNV,Sở Nội vụ\nĐNV,Đoàn Nội vụ\nDNV,Đoàn khác\n",
     self_scores_csv="unit_code,criterion_code,self_score,note\nSNV,1.1,1,\n")
print(sum(os.path.isdir(os.path.join(root, d)) for d in os.listdir(root)), 'cases')
