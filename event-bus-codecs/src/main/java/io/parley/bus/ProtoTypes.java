package io.parley.bus;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every message type of Parley's schemas, by full name, with its parser: what the codec needs to
 * turn a type tag back into a message. Built once, by reflection over the generated classes.
 */
public final class ProtoTypes {
    private final Map<String, Parser<? extends Message>> parsers = new HashMap<>();

    public ProtoTypes(List<FileDescriptor> files) {
        for (FileDescriptor file : files) {
            String javaPackage = file.getOptions().getJavaPackage();
            for (Descriptor type : file.getMessageTypes()) {
                register(type, javaPackage + "." + type.getName());
            }
        }
    }

    private void register(Descriptor type, String className) {
        parsers.put(type.getFullName(), parserOf(className));
        for (Descriptor nested : type.getNestedTypes()) {
            if (!nested.getOptions().getMapEntry()) {
                register(nested, className + "$" + nested.getName());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Parser<? extends Message> parserOf(String className) {
        try {
            return (Parser<? extends Message>) Class.forName(className).getMethod("parser").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no generated class for " + className
                    + " (every schema file needs java_multiple_files = true)", e);
        }
    }

    public Parser<? extends Message> parser(String fullName) {
        Parser<? extends Message> parser = parsers.get(fullName);
        if (parser == null) {
            throw new IllegalArgumentException("unknown bus message type " + fullName);
        }
        return parser;
    }

    public int size() {
        return parsers.size();
    }
}
