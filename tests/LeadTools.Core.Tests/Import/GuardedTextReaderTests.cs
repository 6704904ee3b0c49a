using System.IO;
using LeadTools.Core.Import;

namespace LeadTools.Core.Tests.Import
{
    /// <summary>Peek through the guard: the peeked character is not lost, and a NUL stops a peek as it stops a read.</summary>
    public class GuardedTextReaderTests
    {
        [Fact]
        public void Peek_shows_the_next_character_and_the_read_still_gets_it()
        {
            var reader = new GuardedTextReader(new StringReader("ab"), GuardedTextReader.GuardMode.Plain, 1000);
            Assert.Equal('a', reader.Peek());
            Assert.Equal('a', reader.Peek());
            Assert.Equal("ab", reader.ReadToEnd());
            Assert.Equal(-1, reader.Peek());
        }

        [Fact]
        public void Peek_at_a_NUL_stops_like_a_read_after_the_text_before_it()
        {
            var reader = new GuardedTextReader(new StringReader("x\0y"), GuardedTextReader.GuardMode.Plain, 1000);
            Assert.Equal('x', reader.Read());
            var stop = Assert.Throws<TextGuardException>(() => reader.Peek());
            Assert.Equal(RecordIssueKind.BinaryContent, stop.Kind);
        }
    }
}
