using System;
using System.IO;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;
using LeadTools.Core.State;

namespace LeadTools.Core.Tests.Keys
{
    public class AlternateKeyStoreTests
    {
        private static readonly DateTime T = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

        [Fact]
        public void ANewLeadIsItsOwnContactKey()
        {
            var store = new AlternateKeyStore();
            store.Register("00Q1", "Lead", T);
            Assert.Equal("00Q1", store.Resolve("00Q1"));
            Assert.Null(store.Resolve("00Q2"));
        }

        [Fact]
        public void ConversionToANewContactMakesTheContactTheKey()
        {
            var store = new AlternateKeyStore();
            store.Register("00Q1", "Lead", T);
            store.Convert("00Q1", "0031", "Contact", T);
            Assert.Equal("0031", store.Resolve("00Q1"));
            Assert.Equal("0031", store.Resolve("0031"));
            var contact = store.Find("0031")!;
            Assert.Equal(KeyProvenance.Converted, contact.How);
            Assert.Equal("00Q1", contact.From);
        }

        [Fact]
        public void ConversionIntoAnExistingContactMakesTheLeadAnAlternateKey()
        {
            var store = new AlternateKeyStore();
            store.Register("0031", "Contact", T);
            store.Convert("00Q1", "0031", "Contact", T.AddDays(1));
            Assert.Equal("0031", store.Resolve("00Q1"));
            Assert.Equal(KeyProvenance.Created, store.Find("0031")!.How);
            Assert.Equal(new[] { "0031", "00Q1" }, store.KeysOf("00Q1").Select(k => k.Id).ToArray());
        }

        [Fact]
        public void ChainsResolveToTheFinalContact()
        {
            // L1 merged into L2, L2 converted to C1, C1 merged into C2: L1, L2, C1 all resolve to C2.
            var store = new AlternateKeyStore();
            store.Register("L1", "Lead", T);
            store.Register("L2", "Lead", T);
            store.Register("C2", "Contact", T);
            store.Merge("L1", "L2", "Lead", T.AddDays(1));
            store.Convert("L2", "C1", "Contact", T.AddDays(2));
            store.Merge("C1", "C2", "Contact", T.AddDays(3));
            foreach (var id in new[] { "L1", "L2", "C1", "C2" }) Assert.Equal("C2", store.Resolve(id));
            Assert.Equal(new[] { "L1", "L2", "C1", "C2" }, store.Chain("L1").ToArray());
            Assert.True(store.Find("L1")!.Deleted);
            Assert.True(store.Find("C1")!.Deleted);
            Assert.Equal(4, store.KeysOf("C2").Count);
        }

        [Fact]
        public void SaveAndLoadKeepEverything()
        {
            var store = new AlternateKeyStore();
            store.Register("L1", "Lead", T);
            store.Merge("L1", "L2", "Lead", T.AddDays(1));
            store.Convert("L2", "C1", "Contact", T.AddDays(2));
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            var back = AlternateKeyStore.Load(path);
            Assert.Equal(store.Count, back.Count);
            Assert.Equal("C1", back.Resolve("L1"));
            Assert.True(back.Find("L1")!.Deleted);
            Assert.Equal(T.AddDays(2), back.Find("L2")!.At);
            var lines = File.ReadAllLines(path);
            Assert.Equal("{\"schema\":\"leadtools.keystore\",\"version\":2,\"keys\":3}", lines[0]);
            Assert.Equal("{\"end\":\"leadtools.keystore\",\"keys\":3}", lines[^1]);
        }

        [Fact]
        public void ADamagedFileIsRefusedWithItsLine()
        {
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            File.WriteAllText(path, "{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":2}\n{\"id\":\"a\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00.000Z\"}\n{\"id\":\"b\",\"how\n");
            var ex = Assert.Throws<InvalidDataException>(() => AlternateKeyStore.Load(path));
            Assert.Contains("line 3", ex.Message);
            File.WriteAllText(path, "{\"schema\":\"leadtools.keystore\",\"version\":1,\"keys\":5}\n{\"id\":\"a\",\"how\":\"Created\",\"at\":\"2026-01-01T00:00:00.000Z\"}\n");
            Assert.Contains("header says 5 keys", Assert.Throws<InvalidDataException>(() => AlternateKeyStore.Load(path)).Message);
            File.WriteAllText(path, "{\"schema\":\"leadtools.keystore\",\"version\":9,\"keys\":0}\n");
            Assert.Contains("schema version 9", Assert.Throws<InvalidDataException>(() => AlternateKeyStore.Load(path)).Message);
        }

        [Fact]
        public void HoldsAMillionKeysWithFastLookups()
        {
            var store = new AlternateKeyStore();
            for (var i = 0; i < 500_000; i++) store.Convert("00Q" + i, "003" + i, "Contact", T);
            Assert.Equal(1_000_000, store.Count);
            Assert.Equal("003499999", store.Resolve("00Q499999"));
            var path = Path.Combine(TestData.Scratch(), "keystore.jsonl");
            store.Save(path);
            Assert.Equal("0031234", AlternateKeyStore.Load(path).Resolve("00Q1234"));
        }

        [Fact]
        public void ASecondRunCannotTakeTheLock()
        {
            var folder = TestData.Scratch();
            using (KeyStoreSession.Open(folder, forWrite: true))
            {
                var ex = Assert.Throws<StateLockedException>(() => KeyStoreSession.Open(folder, forWrite: true));
                Assert.Contains("in use by another LeadTools run", ex.Message);
                Assert.Contains("process", ex.Message);
                // Readers are not blocked: saves are atomic renames.
                using var reader = KeyStoreSession.Open(folder, forWrite: false);
            }
            using (KeyStoreSession.Open(folder, forWrite: true))
            {
            }
        }

        [Fact]
        public void HistorySpansEveryKey()
        {
            var store = new AlternateKeyStore();
            store.Register("00Q000000000001AAA", "Lead", T);
            store.Convert("00Q000000000001AAA", "003000000000001AAA", "Contact", T);
            var sendToLead = Record("et4ae5__IndividualEmailResult__c", "a0A1", ("et4ae5__Lead_ID__c", "00Q000000000001"), ("et4ae5__DateSent__c", "2026-01-05T10:00:00.000Z"));
            var sendToContact = Record("et4ae5__IndividualEmailResult__c", "a0A2", ("et4ae5__Contact_ID__c", "003000000000001AAA"), ("et4ae5__DateSent__c", "2026-03-05T10:00:00.000Z"));
            var member = Record("CampaignMember", "00v1", ("LeadId", "00Q000000000001AAA"), ("CreatedDate", "2025-12-01T00:00:00.000Z"));
            var other = Record("Task", "00T1", ("WhoId", "003000000000009AAA"));
            var history = PersonQueries.History(store, "003000000000001AAA", new[] { sendToContact, other, sendToLead, member });
            Assert.Equal(new[] { "00v1", "a0A1", "a0A2" }, history.Select(h => h.Record.Id).ToArray());
            Assert.All(history, h => Assert.Equal("003000000000001AAA", h.ContactKey));
            Assert.Equal("00Q000000000001AAA", history[1].MatchedId); // a 15-character id matches its 18-character key
        }

        [Fact]
        public void DeletionCheckFlagsOldKeysOfLiveContacts()
        {
            var store = new AlternateKeyStore();
            store.Register("00Q1", "Lead", T);
            store.Register("00Q2", "Lead", T);
            store.Convert("00Q1", "0031", "Contact", T);
            var old = PersonQueries.CheckDeletion(store, "00Q1");
            Assert.Equal(DeletionStatus.DeletesLiveContact, old.Status);
            Assert.Equal("0031", old.ContactKey);
            Assert.Contains("converted", old.Reason);
            Assert.Equal(DeletionStatus.DeletesLiveContact, PersonQueries.CheckDeletion(store, "0031").Status);
            Assert.Equal(DeletionStatus.Safe, PersonQueries.CheckDeletion(store, "00Q2").Status);
            Assert.Equal(DeletionStatus.Unknown, PersonQueries.CheckDeletion(store, "00Q9").Status);
        }

        private static CrmRecord Record(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);
    }
}
