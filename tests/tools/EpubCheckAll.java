// EPUBCheck on each EPUB named, in one Java process: each process costs about 30 s of CPU to start and
// load the schemas, and the tests check a dozen books. Run with Java's source launcher:
//   java -cp <epubcheck.jar> tests/tools/EpubCheckAll.java OUT_DIR a.epub b.epub ...
// writes OUT_DIR/0.json, OUT_DIR/1.json, ... (EPUBCheck's JSON report of each book, in order).
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckAll {
    public static void main(String[] args) {
        for (int i = 1; i < args.length; i++) {
            new EpubChecker().run(new String[] {args[i], "--json", args[0] + "/" + (i - 1) + ".json", "--quiet"});
        }
    }
}
