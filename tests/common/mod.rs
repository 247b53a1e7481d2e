//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

pub mod tmux;

use council::io::InputError;
use council::io::import::{Imported, read_session_dir};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn council(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_council"))
        .args(args)
        .current_dir(dir)
        .env("USER", "thư ký")
        // Witness files stay in the test's folder, never in the user's state folder.
        .env("XDG_STATE_HOME", dir.join(".state"))
        .output()
        .expect("the binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small session folder with the awkward parts: BOM, CRLF, decimal commas, a multi-line
/// quoted note, criteria in random order, a formula-like note and a negative-minimum item.
pub fn write_session(dir: &Path) -> PathBuf {
    let folder = dir.join("session");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("criteria.csv"),
        "\u{feff}code,title,max_points,min_points,step,kind,rule\r\n\
         1.2,Ban hành kế hoạch,\"4\",0,\"0,5\",,Đúng hạn: 4\r\n\
         2,Cải cách thủ tục hành chính,\"5,5\",,,,\r\n\
         1,Công tác chỉ đạo,10,,,,\r\n\
         1.1,Báo cáo định kỳ,6,,1,,\r\n\
         2.1,Công khai thủ tục,\"5,5\",\"-1,5\",\"0,5\",,\"Đủ: 5,5\r\nThiếu: -1,5\"\r\n",
    )
    .unwrap();
    fs::write(
        folder.join("units.csv"),
        "unit_code,unit_name,group\nSNV,Sở Nội vụ,Sở\nSTC,Sở Tài chính,Sở\nXBH,Xã Bảo Hà,Xã\n",
    )
    .unwrap();
    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score,note\r\n\
         SNV,1.1,6,\"Đã ban hành\r\nđúng hạn\"\r\n\
         SNV,1.2,\"3,5\",=SUM(A1)\r\n\
         SNV,2.1,\"5,5\",\r\n\
         STC,1.1,5,\r\n\
         STC,1.2,4,\r\n\
         STC,2.1,\"-1,5\",Chưa công khai\r\n\
         XBH,1.1,6,\r\n\
         XBH,1.2,\"3,5\",\r\n\
         XBH,2.1,\"5,5\",\r\n",
    )
    .unwrap();
    fs::write(folder.join("evidence.csv"), "unit_code,criterion_code,ref,title\nSNV,1.1,376/KH-UBND,Kế hoạch\nSNV,1.1,12/BC-SNV,Báo cáo\n")
        .unwrap();
    fs::write(
        folder.join("proposals.csv"),
        "unit_code,criterion_code,proposed_score,note\nSNV,1.2,3,Ban hành muộn\nSTC,1.1,4,Thiếu báo cáo quý\n",
    )
    .unwrap();
    folder
}

/// Reads a folder that must read, as a new session.
pub fn import(dir: &Path) -> Imported {
    match read_session_dir(dir, None) {
        Ok(imported) => imported,
        Err(errors) => panic!("{}", show(&errors)),
    }
}

/// Errors or warnings, one a line, as the command line says them in English.
pub fn show(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
