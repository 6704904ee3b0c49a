using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests.Merge
{
    /// <summary>
    /// Issue 13, "Merge journal": "a journal missing its last entries is partly undone and marked fully undone; a newer
    /// version is accepted; a duplicated entry is undone twice. Journals carry an entry count / end marker and a version
    /// that is checked." Each damaged journal must be refused naming the file and the line.
    /// </summary>
    public class JournalValidationTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

        private static (string State, string Path) ThreeMergeJournal()
        {
            var keys = new AlternateKeyStore();
            var engine = new MergeEngine(new MergeOptions { Now = Now, RunId = "runA" }, keys);
            var entries = new List<JournalEntry>();
            for (var i = 0; i < 3; i++)
            {
                var a = TestData.Record("Lead", $"00Q{i}a", ("LastName", "A" + i), ("CreatedDate", "2024-01-01T00:00:00Z"));
                var b = TestData.Record("Lead", $"00Q{i}b", ("LastName", "B" + i), ("CreatedDate", "2025-01-01T00:00:00Z"));
                entries.Add(engine.Merge(new MergeGroup(new[] { a, b }, null, "g" + i)).Journal);
            }
            var state = TestData.Scratch();
            return (state, MergeJournal.Write(state, "runA", entries));
        }

        [Fact]
        public void AnIntactJournalReadsBackEveryEntry()
        {
            var (_, path) = ThreeMergeJournal();
            Assert.Equal(new[] { "runA:1", "runA:2", "runA:3" }, MergeJournal.Read(path).Select(e => e.EntryId).ToArray());
        }

        [Fact]
        public void AJournalMissingItsLastEntriesIsRefusedNotPartlyUndone()
        {
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path);
            // "a journal missing its last entries": cut after the second entry (header, entry 1, entry 2).
            File.WriteAllLines(path, lines.Take(3));
            var ex = Assert.Throws<InvalidDataException>(() => MergeJournal.Read(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("line 3", ex.Message);
            Assert.Contains("3 entries", ex.Message);
        }

        [Fact]
        public void AJournalWhoseEndMarkerDisagreesWithItsEntriesIsRefused()
        {
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path).ToList();
            lines.RemoveAt(2); // entry 2 gone, end marker kept
            File.WriteAllLines(path, lines);
            var ex = Assert.Throws<InvalidDataException>(() => MergeJournal.Read(path));
            Assert.Contains(path + " line 4", ex.Message);
        }

        [Fact]
        public void ANewerJournalVersionIsRefused()
        {
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path);
            lines[0] = lines[0].Replace("\"version\":2", "\"version\":3");
            File.WriteAllLines(path, lines);
            var ex = Assert.Throws<InvalidDataException>(() => MergeJournal.Read(path));
            Assert.Contains(path + " line 1", ex.Message);
            Assert.Contains("version 3", ex.Message);
        }

        [Fact]
        public void ADuplicatedEntryIsRefusedNamingBothLines()
        {
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path).ToList();
            lines.Insert(3, lines[2]); // entry 2 twice
            File.WriteAllLines(path, lines);
            var ex = Assert.Throws<InvalidDataException>(() => MergeJournal.Read(path));
            Assert.Contains(path + " line 4", ex.Message);
            Assert.Contains("runA:2", ex.Message);
            Assert.Contains("line 3", ex.Message);
        }

        [Fact]
        public void AnEntryOfAnotherRunIsRefused()
        {
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path);
            lines[2] = lines[2].Replace("runA:2", "runB:2");
            File.WriteAllLines(path, lines);
            var ex = Assert.Throws<InvalidDataException>(() => MergeJournal.Read(path));
            Assert.Contains(path + " line 3", ex.Message);
        }

        [Fact]
        public void AVersionOneJournalWithoutCountStillReads()
        {
            // Journals written before the count existed (version 1) stay undoable; they cannot be checked for a cut end.
            var (_, path) = ThreeMergeJournal();
            var lines = File.ReadAllLines(path);
            var v1 = new[] { "{\"schema\":\"leadtools.mergejournal\",\"version\":1,\"run\":\"runA\"}" }.Concat(lines.Skip(1).Take(3));
            File.WriteAllLines(path, v1);
            Assert.Equal(3, MergeJournal.Read(path).Count);
        }
    }
}
