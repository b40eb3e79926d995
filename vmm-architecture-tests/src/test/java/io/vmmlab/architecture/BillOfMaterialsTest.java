package io.vmmlab.architecture;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bill of materials (vmm-bom) stays true: the project's version, and every module a library user may depend on.
 * It cannot inherit that version from the parent, whose dependency management it must not pass on.
 */
final class BillOfMaterialsTest {
    /** Modules that publish nothing a user depends on. */
    private static final Set<String> NOT_PUBLISHED = Set.of("vmm-bom", "vmm-architecture-tests", "vmm-bench");

    @Test
    void theBomHasTheProjectsVersionAndListsEveryPublishedModule() throws Exception {
        Document parent = read(Path.of("..", "pom.xml"));
        Document bom = read(Path.of("..", "vmm-bom", "pom.xml"));
        String version = childText(parent.getDocumentElement(), "version");

        assertThat(childText(bom.getDocumentElement(), "version")).isEqualTo(version);
        List<String> listed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(childText(dependency, "groupId")).isEqualTo("io.vmmlab");
            assertThat(childText(dependency, "version")).as(childText(dependency, "artifactId")).isEqualTo(version);
            listed.add(childText(dependency, "artifactId"));
        }
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            if (!NOT_PUBLISHED.contains(module)) {
                assertThat(listed).as("vmm-bom lists %s", module).contains(module);
            }
        }
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String childText(Element element, String name) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element found && found.getTagName().equals(name)) {
                return found.getTextContent().strip();
            }
        }
        throw new AssertionError(element.getTagName() + " has no " + name);
    }
}
