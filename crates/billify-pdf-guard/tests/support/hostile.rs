//! Generators of hostile PDFs: small files that make a reader work far out of proportion to
//! their size (issue 22). Shared by the hostile-input tests of this crate, of `billify-pdf` and
//! of `billify-einvoice`, by the `hostile_corpus` example (fuzz corpus) and by the
//! `bench_hostile` example (`cargo xtask bench`), through `#[path]` includes.
//!
//! The two files measured in the issue are committed in `tests/fixtures/`; the other kinds of
//! the table are generated here.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

/// One hostile file: its name, what it does, and its bytes.
pub struct Hostile {
    /// A short file name, `*.pdf`.
    pub name: &'static str,
    /// What it does to a reader without limits.
    pub what: &'static str,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Every hostile file: the committed fixtures and the generated kinds.
pub fn hostile_set() -> Vec<Hostile> {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../billify-pdf-guard/tests/fixtures");
    let fixture = |name: &str| std::fs::read(fixtures.join(name)).expect("a committed hostile fixture");
    vec![
        Hostile {
            name: "bomb_10g_objstm_double.pdf",
            what: "object streams expanding through two Flate layers to about 10 GB (committed fixture)",
            bytes: fixture("bomb_10g_objstm_double.pdf"),
        },
        Hostile {
            name: "content_many_glyphs.pdf",
            what: "a compressed content stream showing tens of millions of glyphs (committed fixture)",
            bytes: fixture("content_many_glyphs.pdf"),
        },
        Hostile {
            name: "objstm_double_flate_1g.pdf",
            what: "an object stream whose two Flate layers expand to 1 GiB",
            bytes: objstm_double_flate_bomb(1 << 30),
        },
        Hostile {
            name: "facturx_attachment_bomb.pdf",
            what: "a factur-x.xml attachment expanding through two Flate layers to 1 GiB",
            bytes: facturx_attachment_bomb(1 << 30),
        },
        Hostile {
            name: "glyphs_one_stream.pdf",
            what: "12 million glyphs shown by one Tj in one content stream",
            bytes: glyph_flood(12_000_000, 1),
        },
        Hostile {
            name: "glyphs_four_streams.pdf",
            what: "the same over four content streams (48 million glyphs)",
            bytes: glyph_flood(12_000_000, 4),
        },
        Hostile {
            name: "glyphs_under_the_limit.pdf",
            what: "490,000 glyphs in one word, just under the glyph limit: read in full",
            bytes: glyph_flood(490_000, 1),
        },
        Hostile {
            name: "objstm_2m_objects.pdf",
            what: "an object stream with 2 million objects",
            bytes: objstm_many_objects(2_000_000),
        },
        Hostile {
            name: "objstm_400k_objects.pdf",
            what: "an object stream with 400,000 objects (small enough to pass the stream limits)",
            bytes: objstm_many_objects(400_000),
        },
        Hostile {
            name: "objstm_2m_integers.pdf",
            what: "an object stream holding one array of 2 million integers",
            bytes: objstm_many_integers(2_000_000),
        },
        Hostile {
            name: "body_2m_integers.pdf",
            what: "an uncompressed array of 2 million integers in the file body",
            bytes: body_many_integers(2_000_000),
        },
        Hostile {
            name: "encrypted_rc4_objstm_double_flate_1g.pdf",
            what: "an encrypted object stream (RC4, empty user password) whose two Flate layers expand to 1 GiB",
            bytes: encrypted_objstm_double_flate_bomb(1 << 30, Cipher::Rc4),
        },
        Hostile {
            name: "encrypted_aes256_objstm_double_flate_1g.pdf",
            what: "the same encrypted with AES-256",
            bytes: encrypted_objstm_double_flate_bomb(1 << 30, Cipher::Aes256),
        },
        Hostile {
            name: "encrypted_aes128_objstm_2m_objects.pdf",
            what: "an encrypted object stream (AES-128, empty user password) with 2 million objects",
            bytes: encrypted_objstm_many_objects(2_000_000, Cipher::Aes128),
        },
    ]
}

/// How a generated file is encrypted: always with an empty user password (and an owner
/// password), as the encrypted files that users upload are, so that a reader opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    /// RC4 with a 128-bit key (`/V 2 /R 3`).
    Rc4,
    /// AES-128 (`/V 4 /R 4`, `AESV2`).
    Aes128,
    /// AES-256 (`/V 5 /R 6`, `AESV3`).
    Aes256,
}

/// One object of a file to encrypt: a body without strings, or a stream (its dictionary
/// entries, as for [`stream_object`], and its data, which is encrypted).
pub enum Part {
    Plain(Vec<u8>),
    Stream(String, Vec<u8>),
}

/// Assembles an encrypted PDF from its parts (object i+1 is `parts[i]`, object 1 the catalog),
/// with lopdf's standard security handler: the stream data are encrypted, the `/Encrypt`
/// dictionary is added as the last object.
pub fn encrypted_pdf(parts: Vec<Part>, cipher: Cipher) -> Vec<u8> {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
    use lopdf::encryption::encrypt_object;
    use lopdf::{Dictionary, Document, EncryptionState, EncryptionVersion, Object, Permissions, Stream, Writer};

    let file_id = b"billify-hostile!".to_vec();
    let mut doc = Document::with_version("1.5");
    doc.trailer.set(
        "ID",
        Object::Array(vec![Object::string_literal(file_id.clone()), Object::string_literal(file_id.clone())]),
    );
    let key = [7u8; 32];
    let filters = |f: Arc<dyn CryptFilter>| BTreeMap::from([(b"StdCF".to_vec(), f)]);
    let version = match cipher {
        Cipher::Rc4 => EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "",
            key_length: 128,
            permissions: Permissions::empty(),
        },
        Cipher::Aes128 => EncryptionVersion::V4 {
            document: &doc,
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes128CryptFilter)),
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password: "",
            permissions: Permissions::empty(),
        },
        Cipher::Aes256 => EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes256CryptFilter)),
            file_encryption_key: &key,
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password: "",
            permissions: Permissions::empty(),
        },
    };
    let state = EncryptionState::try_from(version).unwrap();
    let mut bodies = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        match part {
            Part::Plain(body) => bodies.push(body),
            Part::Stream(dict, data) => {
                let id = (u32::try_from(i + 1).unwrap(), 0);
                let mut object = Object::Stream(Stream::new(Dictionary::new(), data).with_compression(false));
                encrypt_object(&state, id, &mut object).unwrap();
                bodies.push(stream_object(&dict, &object.as_stream().unwrap().content));
            }
        }
    }
    let mut dict = Vec::new();
    Writer::write_object(&mut dict, &Object::Dictionary(state.encode().unwrap())).unwrap();
    bodies.push(dict);
    let hex: String = file_id.iter().map(|b| format!("{b:02x}")).collect();
    raw_pdf_with_trailer(&bodies, &format!("/Encrypt {} 0 R /ID [<{hex}> <{hex}>]", bodies.len()))
}

/// [`objstm_double_flate_bomb`], encrypted.
pub fn encrypted_objstm_double_flate_bomb(inner: usize, cipher: Cipher) -> Vec<u8> {
    let mut parts: Vec<Part> = page_objects(1).into_iter().map(Part::Plain).collect();
    parts.push(Part::Stream(String::new(), b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET".to_vec()));
    parts.push(Part::Stream(
        "/Type /ObjStm /N 1 /First 8 /Filter [/FlateDecode /FlateDecode]".into(),
        zlib(&zeros_zlib(inner)),
    ));
    encrypted_pdf(parts, cipher)
}

/// [`objstm_many_objects`], encrypted.
pub fn encrypted_objstm_many_objects(n: usize, cipher: Cipher) -> Vec<u8> {
    let (dict, data) = many_objects_stream(n);
    let mut parts: Vec<Part> = page_objects(1).into_iter().map(Part::Plain).collect();
    parts.push(Part::Stream(String::new(), b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET".to_vec()));
    parts.push(Part::Stream(dict, data));
    encrypted_pdf(parts, cipher)
}

/// A one-page encrypted document whose content stream inflates to `inner` zero bytes: loading
/// it is cheap, decoding its content is where the limits must hold.
pub fn encrypted_content_bomb(inner: usize, cipher: Cipher) -> Vec<u8> {
    let mut parts: Vec<Part> = page_objects(1).into_iter().map(Part::Plain).collect();
    parts.push(Part::Stream("/Filter /FlateDecode".into(), zeros_zlib(inner)));
    encrypted_pdf(parts, cipher)
}

/// An encrypted one-page document showing `Invoice 2024-001`, for the positive cases.
pub fn encrypted_hello(cipher: Cipher) -> Vec<u8> {
    let mut parts: Vec<Part> = page_objects(1).into_iter().map(Part::Plain).collect();
    parts.push(Part::Stream(String::new(), b"BT /F0 12 Tf 50 700 Td (Invoice 2024-001) Tj ET".to_vec()));
    encrypted_pdf(parts, cipher)
}

/// zlib data that inflates to at least `n` zero bytes (1 + a multiple of 258), written directly
/// as one fixed-Huffman block (a literal zero, then copies of 258 bytes at distance 1), so that
/// gigabytes are generated in milliseconds.
pub fn zeros_zlib(n: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        /// Appends `count` bits of `value`, least significant first.
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.len;
            self.len += count;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// Appends a Huffman code, most significant bit first.
        fn code(&mut self, code: u64, count: u32) {
            let mut rev = 0u64;
            for i in 0..count {
                rev |= ((code >> i) & 1) << (count - 1 - i);
            }
            self.put(rev, count);
        }
    }
    let copies = n.saturating_sub(1).div_ceil(258);
    let total = 1 + 258 * copies;
    let mut bits = Bits { out: vec![0x78, 0x01], acc: 0, len: 0 };
    bits.put(0b011, 3); // final block, fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    for _ in 0..copies {
        bits.code(0b1100_0101, 8); // length symbol 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    // Adler-32 of `total` zero bytes: a stays 1, b grows by 1 per byte.
    let adler = (((total % 65521) as u32) << 16) | 1;
    let mut out = bits.out;
    if bits.len > 0 {
        out.push(bits.acc as u8); // the last bits, padded to a byte
    }
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

/// zlib-compresses `data`.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Assembles a PDF from raw object bodies (object i+1 is `objects[i]`), with a correct xref;
/// object 1 must be the catalog.
pub fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    raw_pdf_with_trailer(objects, "")
}

/// [`raw_pdf`] with more trailer entries (`extra`, written as they are).
pub fn raw_pdf_with_trailer(objects: &[Vec<u8>], extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R {extra}>>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// A stream object body: the dictionary entries (without `<< >>` and `/Length`) and the data.
pub fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// Objects 1..=4: catalog, page tree, one page drawing the content streams 5.. with Helvetica
/// as `/F0`, and a font (object 4).
fn page_objects(contents: usize) -> Vec<Vec<u8>> {
    let refs: Vec<String> = (0..contents).map(|i| format!("{} 0 R", 5 + i)).collect();
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F0 4 0 R >> >> /Contents [{}] >>",
            refs.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ]
}

/// A one-page document with some text and an object stream whose data is `zlib(zlib(zeros))`
/// with `/Filter [/FlateDecode /FlateDecode]`, expanding to `inner` bytes.
pub fn objstm_double_flate_bomb(inner: usize) -> Vec<u8> {
    let data = zlib(&zeros_zlib(inner));
    let mut objects = page_objects(1);
    objects.push(stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"));
    objects.push(stream_object("/Type /ObjStm /N 1 /First 8 /Filter [/FlateDecode /FlateDecode]", &data));
    raw_pdf(&objects)
}

/// A one-page document whose `streams` compressed content streams each show `glyphs` glyphs
/// with one `Tj`.
pub fn glyph_flood(glyphs: usize, streams: usize) -> Vec<u8> {
    let mut content = b"BT /F0 1 Tf 10 700 Td (".to_vec();
    content.resize(content.len() + glyphs, b'x');
    content.extend_from_slice(b") Tj ET");
    let data = zlib(&content);
    let mut objects = page_objects(streams);
    for _ in 0..streams {
        objects.push(stream_object("/Filter /FlateDecode", &data));
    }
    raw_pdf(&objects)
}

/// A one-page document with an object stream holding `n` small objects (each the integer 0).
pub fn objstm_many_objects(n: usize) -> Vec<u8> {
    let (dict, data) = many_objects_stream(n);
    let mut objects = page_objects(1);
    objects.push(stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"));
    objects.push(stream_object(&dict, &data));
    raw_pdf(&objects)
}

/// The dictionary entries and compressed data of an object stream holding `n` small objects.
fn many_objects_stream(n: usize) -> (String, Vec<u8>) {
    let mut index = String::with_capacity(n * 16);
    let mut body = String::with_capacity(n * 2);
    for i in 0..n {
        index.push_str(&format!("{} {} ", 100 + i, body.len()));
        body.push_str("0 ");
    }
    let mut data = index.clone().into_bytes();
    data.extend_from_slice(body.as_bytes());
    (format!("/Type /ObjStm /N {n} /First {} /Filter /FlateDecode", index.len()), zlib(&data))
}

/// A one-page document with an object stream holding one array of `n` integers.
pub fn objstm_many_integers(n: usize) -> Vec<u8> {
    let index = "100 0 ";
    let mut data = index.as_bytes().to_vec();
    data.push(b'[');
    for i in 0..n {
        data.extend_from_slice(if i % 2 == 0 { b"1 " } else { b"2 " });
    }
    data.push(b']');
    let mut objects = page_objects(1);
    objects.push(stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"));
    objects
        .push(stream_object(&format!("/Type /ObjStm /N 1 /First {} /Filter /FlateDecode", index.len()), &zlib(&data)));
    raw_pdf(&objects)
}

/// A one-page document with an uncompressed array of `n` integers in the file body.
pub fn body_many_integers(n: usize) -> Vec<u8> {
    let mut array = b"[".to_vec();
    for _ in 0..n {
        array.extend_from_slice(b"1 ");
    }
    array.push(b']');
    let mut objects = page_objects(1);
    objects.push(stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"));
    objects.push(array);
    raw_pdf(&objects)
}

/// A one-page document carrying a `factur-x.xml` attachment (in `/AF` and the
/// `/EmbeddedFiles` name tree) whose two Flate layers expand to `inner` bytes.
pub fn facturx_attachment_bomb(inner: usize) -> Vec<u8> {
    let data = zlib(&zeros_zlib(inner));
    let mut objects = page_objects(1);
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /AF [6 0 R] /Names << /EmbeddedFiles << /Names [(factur-x.xml) 6 0 R] >> >> >>"
        .to_vec();
    objects.push(stream_object("", b"BT /F0 12 Tf 50 700 Td (Hello) Tj ET"));
    objects.push(
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /EF << /F 7 0 R /UF 7 0 R >> >>"
            .to_vec(),
    );
    objects.push(stream_object("/Type /EmbeddedFile /Subtype /text#2Fxml /Filter [/FlateDecode /FlateDecode]", &data));
    raw_pdf(&objects)
}
