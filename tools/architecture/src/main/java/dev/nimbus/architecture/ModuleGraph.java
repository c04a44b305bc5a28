package dev.nimbus.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The modules of the build as their pom.xml files declare them: starting at the root pom, every
 * {@code <module>} recursively, each with its path, artifact id, kind (by the folder it lives in)
 * and the artifact ids of the project's own modules it depends on, in any scope. Read from the
 * files rather than from a class path, so a dependency counts even when no class uses it yet.
 */
public record ModuleGraph(Map<String, Module> modulesByArtifact) {

  /** Where a module lives, which decides what it may depend on. */
  public enum Kind {
    /**
     * {@code shared/...}: libraries every function may use; also {@code infra/}, the Pulumi
     * programs the runner (and drift) deploy, which issue 15 puts at the root.
     */
    SHARED,
    /** {@code functions/...}: a Lambda function (or the functions' parent pom). */
    FUNCTION,
    /** {@code tools/...}: run on a developer's machine, never deployed. */
    TOOL,
    /** Anywhere else: not allowed, so that no module escapes the rule by its place. */
    UNKNOWN
  }

  /** One module: its folder relative to the root, artifact id, kind and in-project dependencies. */
  public record Module(String path, String artifactId, Kind kind, List<String> dependsOn) {
    public Module {
      dependsOn = List.copyOf(dependsOn);
    }
  }

  public ModuleGraph {
    modulesByArtifact = Map.copyOf(modulesByArtifact);
  }

  /** Reads the build under {@code root} (the folder of the root pom.xml). */
  public static ModuleGraph read(Path root) {
    Element rootPom = parse(root.resolve("pom.xml"));
    String groupId = text(rootPom, "groupId");
    Map<String, Module> modules = new TreeMap<>();
    for (String module : children(rootPom, "modules", "module")) {
      collect(root, Path.of(module), groupId, modules);
    }
    return new ModuleGraph(modules);
  }

  private static void collect(Path root, Path relative, String groupId, Map<String, Module> out) {
    Element pom = parse(root.resolve(relative).resolve("pom.xml"));
    String path = relative.normalize().toString().replace('\\', '/');
    String artifactId = Objects.requireNonNull(text(pom, "artifactId"), path + ": no artifactId");
    List<String> dependsOn = new ArrayList<>();
    for (Element dependency : elements(pom, "dependencies", "dependency")) {
      String depGroup = text(dependency, "groupId");
      if (groupId.equals(depGroup) || "${project.groupId}".equals(depGroup)) {
        dependsOn.add(text(dependency, "artifactId"));
      }
    }
    out.put(artifactId, new Module(path, artifactId, kindOf(path), dependsOn));
    for (String module : children(pom, "modules", "module")) {
      collect(root, relative.resolve(module), groupId, out);
    }
  }

  static Kind kindOf(String path) {
    if (path.startsWith("shared/") || path.equals("infra") || path.startsWith("infra/")) {
      return Kind.SHARED;
    }
    if (path.equals("functions") || path.startsWith("functions/")) {
      return Kind.FUNCTION;
    }
    if (path.startsWith("tools/")) {
      return Kind.TOOL;
    }
    return Kind.UNKNOWN;
  }

  private static Element parse(Path pom) {
    try (InputStream in = Files.newInputStream(pom)) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // A pom is data: no DTDs, no external entities.
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      Document document = builder.parse(in);
      return document.getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pom, e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot parse " + pom + ": " + e.getMessage(), e);
    }
  }

  /** The text of a direct child element, or null. */
  private static String text(Element parent, String name) {
    Element child = child(parent, name);
    return child == null ? null : child.getTextContent().strip();
  }

  private static Element child(Element parent, String name) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** {@code <container><item/>...</container>} under {@code parent}, outside any profile. */
  private static List<Element> elements(Element parent, String container, String item) {
    Element holder = child(parent, container);
    List<Element> out = new ArrayList<>();
    if (holder == null) {
      return out;
    }
    NodeList nodes = holder.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(item)) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<String> children(Element parent, String container, String item) {
    return elements(parent, container, item).stream().map(e -> e.getTextContent().strip()).toList();
  }
}
