//! `check --shard i/n`: a stable split of a suite's scenarios by id, so a CI matrix runs a
//! long suite on `n` runners and `chatspec report merge` joins their `conformance.json`.
//!
//! A scenario belongs to shard `crc32(id) mod n + 1` (CRC-32/ISO-HDLC of the id's UTF-8
//! bytes): the split depends on the id alone, so adding a scenario never moves another one to
//! a different shard.

use std::fmt;
use std::str::FromStr;

/// One shard of `count`: `index` is 1-based, `1 <= index <= count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards the suite is split into, at least 1.
    pub count: u32,
}

/// A `--shard` value that is not `i/n` with `1 <= i <= n`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("--shard {0:?}: expected i/n with 1 <= i <= n, e.g. 2/4")]
pub struct BadShard(pub String);

impl Shard {
    /// Whether the scenario with this id runs in this shard.
    pub fn holds(&self, id: &str) -> bool {
        crc32fast::hash(id.as_bytes()) % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = BadShard;

    fn from_str(s: &str) -> Result<Shard, BadShard> {
        let bad = || BadShard(s.to_owned());
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) =
            (i.trim().parse::<u32>().map_err(|_| bad())?, n.trim().parse::<u32>().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n_and_refuses_the_rest() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/4/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard { index: 3, count: 7 }.to_string(), "3/7");
    }

    #[test]
    fn every_id_is_in_exactly_one_shard_and_the_split_is_not_lopsided() {
        let ids: Vec<String> = (0..400).map(|i| format!("unichat/area{}/scenario-{i}", i % 7)).collect();
        let n = 4;
        let mut sizes = [0usize; 4];
        for id in &ids {
            let owners: Vec<u32> = (1..=n).filter(|&i| Shard { index: i, count: n }.holds(id)).collect();
            assert_eq!(owners.len(), 1, "{id}: {owners:?}");
            sizes[(owners[0] - 1) as usize] += 1;
        }
        assert!(sizes.iter().all(|&s| (60..=140).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn the_split_depends_on_the_id_alone() {
        // CRC-32 of "unichat/uid/x" is fixed: this shard never changes between versions.
        let s = Shard { index: crc32fast::hash(b"unichat/uid/x") % 5 + 1, count: 5 };
        assert!(s.holds("unichat/uid/x"));
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
    }
}
