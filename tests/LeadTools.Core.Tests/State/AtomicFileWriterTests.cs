using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using LeadTools.Core.IO;

namespace LeadTools.Core.Tests.State
{
    /// <summary>
    /// Issue 13: "Temp files left by a kill (.&lt;name&gt;.&lt;id&gt;.tmp ...) are never cleaned: remove stale ones on the next
    /// write to that folder" and "fsync the directory on Unix".
    /// </summary>
    public class AtomicFileWriterTests
    {
        [Fact]
        public void TheNextWriteToAFolderRemovesTempFilesOfKilledWritersButNotOfLiveOnes()
        {
            var dir = TestData.Scratch();
            // A killed writer's leftover: nobody holds it open.
            var stale = Path.Combine(dir, ".Lead.csv.0123456789ab.tmp");
            File.WriteAllText(stale, "half a file");
            // A live writer in the same folder, mid-write.
            using var live = new AtomicFileWriter(Path.Combine(dir, "Contact.csv"));
            live.Stream.Write(Encoding.UTF8.GetBytes("Id\r\n"), 0, 4);
            // Not ours: a hidden file that merely ends in .tmp.
            var other = Path.Combine(dir, ".editor-swap.tmp");
            File.WriteAllText(other, "x");

            using (var next = new AtomicFileWriter(Path.Combine(dir, "Account.csv")))
            {
                next.Commit();
            }

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live.TempPath));
            Assert.True(File.Exists(other));
            live.Commit();
            Assert.Equal("Id\r\n", File.ReadAllText(Path.Combine(dir, "Contact.csv")));
        }

        [Fact]
        public void ACommitFlushesTheFolderOnUnix()
        {
            var dir = TestData.Scratch();
            Assert.Equal(!RuntimeInformation.IsOSPlatform(OSPlatform.Windows), AtomicFileWriter.SyncDirectory(dir));
            var before = AtomicFileWriter.DirectorySyncCount;
            using (var w = new AtomicFileWriter(Path.Combine(dir, "a.txt")))
            {
                w.Commit();
            }
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) Assert.True(AtomicFileWriter.DirectorySyncCount > before);
        }
    }
}
