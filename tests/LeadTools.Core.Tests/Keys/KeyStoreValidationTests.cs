using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LeadTools.Core.Keys;

namespace LeadTools.Core.Tests.Keys
{
    /// <summary>
    /// Issue 13, "Key store": every kind of damage is refused at load with the file and the right line, before anything
    /// uses or rewrites the store; the current format (version 1) still reads.
    /// </summary>
    public class KeyStoreValidationTests
    {
        private const string V1Header = "{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":3}";
        private const string A = "{\"id\":\"00Q000000000001AAA\",\"type\":\"Lead\",\"parent\":\"003000000000001AAA\",\"how\":\"Converted\",\"at\":\"2026-01-02T00:00:00Z\"}";
        private const string C = "{\"id\":\"003000000000001AAA\",\"type\":\"Contact\",\"how\":\"Converted\",\"at\":\"2026-01-02T00:00:00Z\",\"from\":\"00Q000000000001AAA\"}";
        private const string L = "{\"id\":\"00Q000000000002AAA\",\"type\":\"Lead\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00Z\"}";

        private static string Write(params string[] lines)
        {
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return path;
        }

        private static string Refused(string path)
        {
            var ex = Assert.Throws<InvalidDataException>(() => AlternateKeyStore.Load(path));
            Assert.Contains(path, ex.Message);
            return ex.Message;
        }

        [Fact]
        public void TheVersion1FormatStillReads()
        {
            var store = AlternateKeyStore.Load(Write(V1Header, A, C, L));
            Assert.Equal(3, store.Count);
            Assert.Equal("003000000000001AAA", store.Resolve("00Q000000000001AAA"));
        }

        [Fact]
        public void SavedStoresCarryAnEndMarkerAndReadBack()
        {
            var store = AlternateKeyStore.Load(Write(V1Header, A, C, L));
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            var lines = File.ReadAllLines(path);
            Assert.Equal(5, lines.Length);
            Assert.Equal("{\"end\":\"leadtools.keystore\",\"keys\":3}", lines[4]);
            Assert.Equal(3, AlternateKeyStore.Load(path).Count);
        }

        [Fact]
        public void AParentThatDoesNotExistIsRefusedWithTheLineOfTheEntry()
        {
            // Line 2 points at a contact the file does not hold (its line was removed, the count edited to match).
            var message = Refused(Write("{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":2}", A, L));
            Assert.Contains("line 2:", message);
            Assert.Contains("003000000000001AAA", message);
        }

        [Fact]
        public void ACycleIsRefusedWithALineOnTheLoop()
        {
            var x = "{\"id\":\"X\",\"parent\":\"Y\",\"how\":\"Merged\",\"at\":\"2026-01-01T00:00:00Z\"}";
            var y = "{\"id\":\"Y\",\"parent\":\"X\",\"how\":\"Merged\",\"at\":\"2026-01-01T00:00:00Z\"}";
            var message = Refused(Write(V1Header, L, x, y));
            Assert.Contains("line 3:", message);
            Assert.Contains("loops", message);
            var self = "{\"id\":\"Z\",\"parent\":\"Z\",\"how\":\"Merged\",\"at\":\"2026-01-01T00:00:00Z\"}";
            Assert.Contains("line 4:", Refused(Write(V1Header, L, A.Replace("\"parent\":\"003000000000001AAA\",", ""), self)));
        }

        [Fact]
        public void InvalidUtf8InTheHeaderIsRefusedOnLine1()
        {
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            var bytes = new List<byte>(Encoding.UTF8.GetBytes("{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":1,\"note\":\"caf"));
            bytes.Add(0xE9); // Windows-1252 'é'
            bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n" + L + "\n"));
            File.WriteAllBytes(path, bytes.ToArray());
            var message = Refused(path);
            Assert.Contains("line 1:", message);
            Assert.Contains("UTF-8", message);
        }

        [Fact]
        public void InvalidUtf8InAnEntryNamesItsLine()
        {
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            var bytes = new List<byte>(Encoding.UTF8.GetBytes(V1Header + "\n" + L + "\n" + C + "\n{\"id\":\"Bad"));
            bytes.Add(0xFF);
            bytes.AddRange(Encoding.UTF8.GetBytes("\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00Z\"}\n"));
            File.WriteAllBytes(path, bytes.ToArray());
            Assert.Contains("line 4:", Refused(path));
        }

        [Theory]
        [InlineData("\"1\"")]
        [InlineData("\"one\"")]
        [InlineData("1.5")]
        [InlineData("null")]
        public void ANonNumericVersionIsRefusedOnLine1(string version)
        {
            var message = Refused(Write("{\"schema\":\"leadtools.keystore\",\"version\":" + version + ",\"keys\":1}", L));
            Assert.Contains("line 1:", message);
            Assert.Contains("version", message);
        }

        [Fact]
        public void AHeaderWithoutKeyCountIsRefused()
        {
            // A file with lines deleted could not be told from a whole one.
            var message = Refused(Write("{\"schema\":\"leadtools.keystore\",\"version\":1}", L));
            Assert.Contains("line 1:", message);
            Assert.Contains("key count", message);
        }

        [Fact]
        public void AVersion2FileWithLinesDeletedOrCutIsRefused()
        {
            var store = new AlternateKeyStore();
            store.Register("00Q1", "Lead", DateTime.UtcNow);
            store.Register("00Q2", "Lead", DateTime.UtcNow);
            store.Convert("00Q2", "0032", "Contact", DateTime.UtcNow);
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            var lines = File.ReadAllLines(path).ToList();
            // The last entry and the end marker cut off: the count no longer matches.
            File.WriteAllLines(path, lines.Take(lines.Count - 2));
            Refused(path);
            // Only the end marker cut off (the count matches): still refused, the file was cut short.
            File.WriteAllLines(path, lines.Take(lines.Count - 1));
            Assert.Contains("end marker", Refused(path));
            // An entry removed and both counts edited to match: the removed contact is a dangling parent.
            var edited = lines.Where(l => !l.Contains("\"id\":\"0032\"")).Select(l => l.Replace("\"keys\":3", "\"keys\":2")).ToList();
            File.WriteAllLines(path, edited);
            Assert.Contains("0032", Refused(path));
            // Text after the end marker.
            File.WriteAllLines(path, lines.Concat(new[] { "{\"id\":\"extra\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00Z\"}" }));
            Assert.Contains($"line {lines.Count + 1}:", Refused(path));
        }

        [Fact]
        public void LineNumbersAreThoseOfTheDamagedLine()
        {
            // Blank lines, CRLF line ends and a damaged entry spread over positions the old loader miscounted.
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            File.WriteAllText(path, V1Header + "\r\n" + L + "\r\n\r\n" + C + "\r\n{\"id\":\"b\",\"how\"\r\n");
            Assert.Contains("line 5:", Refused(path));
            File.WriteAllText(path, V1Header + "\n" + L + "\n" + "{\"id\":\"q\",\"how\":\"Sideways\",\"at\":\"2026-01-01T00:00:00Z\"}\n" + C + "\n");
            var message = Refused(path);
            Assert.Contains("line 3:", message);
            Assert.Contains("Sideways", message);
            File.WriteAllText(path, V1Header + "\n" + L + "\n" + C + "\n" + "{\"id\":\"q\",\"how\":\"Created\",\"at\":\"yesterday\"}\n");
            Assert.Contains("line 4:", Refused(path));
            File.WriteAllText(path, V1Header + "\n" + L + "\n" + L + "\n" + C + "\n");
            message = Refused(path);
            Assert.Contains("line 3:", message);
            Assert.Contains("line 2", message);
            File.WriteAllText(path, V1Header + "\n[1,2]\n" + C + "\n" + L + "\n");
            Assert.Contains("line 2:", Refused(path));
            File.WriteAllText(path, V1Header + "\n" + L + "\n{\"id\":42,\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00Z\"}\n" + C + "\n");
            Assert.Contains("line 3:", Refused(path));
        }

        [Fact]
        public void ANewerVersionAndAForeignFileAreRefused()
        {
            Assert.Contains("Update LeadTools", Refused(Write("{\"schema\":\"leadtools.keystore\",\"version\":3,\"keys\":0}")));
            Assert.Contains("not a LeadTools key store", Refused(Write("{\"schema\":\"something.else\",\"version\":1,\"keys\":0}")));
            Assert.Contains("line 1:", Refused(Write("")));
        }

        [Fact]
        public void ADamagedStoreIsNeverRewritten()
        {
            // A session cannot be opened on a damaged store, so no command can save over it.
            var folder = TestData.Scratch();
            var path = Path.Combine(folder, KeyStoreSession.FileName);
            File.WriteAllText(path, "{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":2}\n" + A + "\n" + L + "\n");
            var before = File.ReadAllBytes(path);
            Assert.Throws<InvalidDataException>(() => KeyStoreSession.Open(folder, forWrite: true));
            Assert.Equal(before, File.ReadAllBytes(path));
            // And the lock was released: once repaired, the store opens for writing.
            File.WriteAllText(path, V1Header + "\n" + A + "\n" + C + "\n" + L + "\n");
            using var session = KeyStoreSession.Open(folder, forWrite: true);
            Assert.Equal(3, session.Store.Count);
        }

        [Fact]
        public void AStoreWithABrokenLinkIsNotSaved()
        {
            var store = AlternateKeyStore.Load(Write(V1Header, A, C, L));
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            var before = File.ReadAllBytes(path);
            // An undo that removed the contact but left the lead pointing at it would write a store that cannot load.
            store.Restore(new[] { LeadTools.Core.Merge.KeySnapshot.Of(new AlternateKeyStore(), "003000000000001AAA") });
            Assert.Throws<InvalidDataException>(() => store.Save(path));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }
}
